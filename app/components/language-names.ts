/** Languages by their own names, as language pickers show them. */
export const LANGUAGE_NAMES: Record<string, string> = { en: "English", es: "Español", "pt-BR": "Português (Brasil)" };
