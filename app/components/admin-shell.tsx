// The admin's frame. Inside Shopify's admin, App Bridge draws the navigation (NavMenu) and
// shows toasts. In the demo store (and whenever the `shopify` global is absent, e.g. App
// Bridge's CDN is unreachable) the same pages get a Polaris sidebar and Polaris toasts.
import { NavMenu } from "@shopify/app-bridge-react";
import { Banner, Box, Frame, InlineStack, Loading, Navigation, Select, Text, Toast, TopBar } from "@shopify/polaris";
import { Link, useLocation, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { ADMIN_LOCALES } from "~/i18n";
import { useFormatDateTime, useI18n } from "./i18n-context";

type ShowToast = (message: string, options?: { isError?: boolean }) => void;
const ToastContext = createContext<ShowToast>(() => {});

/** Shows a toast through App Bridge when it is there, through Polaris otherwise. */
export function useToast(): ShowToast {
  return useContext(ToastContext);
}

type AppBridgeGlobal = {
  toast?: { show(message: string, options?: { isError?: boolean }): void };
  loading?: (isLoading?: boolean) => void;
};

export const ADMIN_PAGES = [
  { url: "/app", key: "nav.dashboard" },
  { url: "/app/activity", key: "nav.activity" },
  { url: "/app/messages", key: "nav.messages" },
  { url: "/app/inbox", key: "nav.inbox" },
  { url: "/app/reviews", key: "nav.reviews" },
  { url: "/app/customers", key: "nav.customers" },
  { url: "/app/automations", key: "nav.automations" },
  { url: "/app/templates", key: "nav.templates" },
  { url: "/app/outbox", key: "nav.outbox" },
  { url: "/app/privacy", key: "nav.privacy" },
  { url: "/app/settings", key: "nav.settings" },
] as const;

export function AdminShell(props: { embedded: boolean; demo: { clock: string } | null; shopName: string; timeZone: string; children: ReactNode }) {
  const { t } = useI18n();
  const location = useLocation();
  const [toast, setToast] = useState<{ message: string; isError: boolean } | null>(null);

  const showToast = useCallback<ShowToast>((message, options) => {
    const appBridge = (globalThis as { shopify?: AppBridgeGlobal }).shopify;
    if (props.embedded && appBridge?.toast) appBridge.toast.show(message, options);
    else setToast({ message, isError: options?.isError ?? false });
  }, [props.embedded]);

  // Between pages (a link, a form, the back button) the frame shows Polaris's loading bar, and
  // inside Shopify's admin App Bridge's own indicator too when its global is there.
  const navigating = useNavigation().state !== "idle";
  useEffect(() => {
    const appBridge = (globalThis as { shopify?: AppBridgeGlobal }).shopify;
    if (props.embedded && typeof appBridge?.loading === "function") appBridge.loading(navigating);
  }, [navigating, props.embedded]);
  const loadingMarkup = navigating ? <Loading /> : null;

  const pages = props.demo ? [...ADMIN_PAGES, { url: "/app/simulator", key: "nav.simulator" as const }] : ADMIN_PAGES;
  const toastMarkup = toast ? <Toast content={toast.message} error={toast.isError} onDismiss={() => setToast(null)} /> : null;

  if (props.embedded) {
    return (
      <ToastContext.Provider value={showToast}>
        <NavMenu>
          <Link to="/app" rel="home">{t("nav.dashboard")}</Link>
          {pages.slice(1).map((page) => (
            <Link key={page.url} to={page.url}>{t(page.key)}</Link>
          ))}
        </NavMenu>
        <Frame>
          {loadingMarkup}
          {props.children}
          {toastMarkup}
        </Frame>
      </ToastContext.Provider>
    );
  }

  const navigation = (
    <Navigation location={location.pathname}>
      <Navigation.Section
        items={pages.map((page) => ({
          url: page.url,
          label: t(page.key),
          exactMatch: page.url === "/app",
          selected: page.url === "/app" ? location.pathname === "/app" : location.pathname.startsWith(page.url),
        }))}
      />
    </Navigation>
  );

  return (
    <ToastContext.Provider value={showToast}>
      <Frame
        topBar={<TopBar secondaryMenu={<LanguagePicker />} userMenu={<TopBar.UserMenu name={props.shopName} detail={t("dashboard.shop")} initials={initialsOf(props.shopName)} actions={[]} open={false} onToggle={() => {}} />} />}
        navigation={navigation}
        logo={{ topBarSource: "/favicon.svg", width: 28, url: "/app", accessibilityLabel: "Avisa" }}
      >
        {loadingMarkup}
        {props.demo && <DemoBanner clock={props.demo.clock} timeZone={props.timeZone} />}
        {props.children}
        {toastMarkup}
      </Frame>
    </ToastContext.Provider>
  );
}

const initialsOf = (name: string) =>
  name.split(/\s+/).map((word) => word[0] ?? "").join("").slice(0, 2).toUpperCase();

function DemoBanner({ clock, timeZone }: { clock: string; timeZone: string }) {
  const { t } = useI18n();
  const format = useFormatDateTime();
  return (
    <Box padding="400" paddingBlockEnd="0">
      <Banner tone="info">
        <InlineStack gap="400" align="space-between" blockAlign="center">
          <Text as="p">{t("demo.banner")}</Text>
          <Text as="p" fontWeight="semibold">
            <span data-testid="demo-clock">{t("demo.clock", { time: format(clock, timeZone) })}</span>
          </Text>
        </InlineStack>
      </Banner>
    </Box>
  );
}

const LOCALE_LABELS: Record<(typeof ADMIN_LOCALES)[number], string> = { en: "English", es: "Español", "pt-BR": "Português (Brasil)" };

function LanguagePicker() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const location = useLocation();
  return (
    <Box paddingInlineEnd="300">
      <Select
        label={t("common.language")}
        labelInline
        options={ADMIN_LOCALES.map((value) => ({ value, label: LOCALE_LABELS[value] }))}
        value={locale}
        onChange={(value) => {
          const next = new URLSearchParams(params);
          next.set("locale", value);
          navigate(`${location.pathname}?${next.toString()}`);
        }}
      />
    </Box>
  );
}
