// Checks one HTTP request against a vendor's own OpenAPI description (tests/fixtures/vendor-specs)
// plus the rules those specs cannot express (listed in the specs' README). The fake vendor
// servers run every request through here, so a test fails when Avisa, through the official SDKs,
// sends something the real API would refuse, instead of passing against our own assumptions.
// The end of the file holds the recording HTTP server both fakes are built on.
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

export type VendorSpec = "sendgrid-mail-v3" | "twilio-api-v2010";

export type RequestProblem = { field: string; message: string };

export type IncomingRequest = {
  method: string;
  /** Path without the query string, e.g. /2010-04-01/Accounts/AC.../Messages.json */
  path: string;
  contentType?: string;
  body: string;
};

export type CheckedRequest = {
  /** The spec's path template that matched, e.g. /2010-04-01/Accounts/{AccountSid}/Messages.json */
  pathTemplate: string | null;
  operationId: string | null;
  pathParams: Record<string, string>;
  /** The decoded body: JSON as sent, or form fields coerced to the schema's types. */
  body: unknown;
  problems: RequestProblem[];
};

type Schema = Record<string, unknown>;
type Operation = {
  operationId?: string;
  parameters?: Array<Schema>;
  requestBody?: Schema;
};
type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, Schema>>;
};

const SPEC_DIRECTORY = new URL("../fixtures/vendor-specs/", import.meta.url);
const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";

// ---------------------------------------------------------------------------------------------
// Loading specs and compiling validators (once per spec, operation and content type)

type LoadedSpec = {
  document: OpenApiDocument;
  /** Path templates as regular expressions, literal-heavy templates first. */
  routes: Array<{ template: string; pattern: RegExp; names: string[] }>;
  validators: Map<string, ValidateFunction>;
  ajvFor: (coerceForm: boolean) => Ajv;
};

const loaded = new Map<VendorSpec, LoadedSpec>();

export function loadSpec(name: VendorSpec): OpenApiDocument {
  return specFor(name).document;
}

function specFor(name: VendorSpec): LoadedSpec {
  const cached = loaded.get(name);
  if (cached) return cached;
  const document = JSON.parse(readFileSync(new URL(`${name}.json`, SPEC_DIRECTORY), "utf8")) as OpenApiDocument;
  const routes = Object.keys(document.paths)
    .map((template) => {
      const names = [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      const source = template
        .split(/\{[^}]+\}/)
        .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("([^/]+)");
      return { template, pattern: new RegExp(`^${source}$`), names };
    })
    .sort((a, b) => a.names.length - b.names.length);
  const instances = new Map<boolean, Ajv>();
  const ajvFor = (coerceForm: boolean) => {
    let ajv = instances.get(coerceForm);
    if (!ajv) {
      ajv = newAjv(document.openapi.startsWith("3.1"), coerceForm);
      instances.set(coerceForm, ajv);
    }
    return ajv;
  };
  const spec = { document, routes, validators: new Map(), ajvFor };
  loaded.set(name, spec);
  return spec;
}

function newAjv(openApi31: boolean, coerceForm: boolean): Ajv {
  // Form fields arrive as strings (and repeated keys as lists): coerce them to the schema's types.
  // JSON is checked exactly as sent, so a number where a string belongs is a problem.
  const options = { strict: false, allErrors: true, coerceTypes: coerceForm ? ("array" as const) : false };
  const ajv = openApi31 ? new Ajv2020(options) : new Ajv(options);
  addFormats(ajv);
  // Twilio's phone-number: E.164, a channel address (whatsapp:+E164), a short code or an
  // alphanumeric sender ID.
  ajv.addFormat("phone-number", /^(\+[1-9]\d{1,14}|[a-z]+:\+?[\w.@+-]+|\d{3,8}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})$/);
  for (const vendorFormat of [
    "currency",
    "date-time-rfc-2822",
    "http-method",
    "iso-country-code",
    "endpoint",
    "ice-server",
    "phone-number-capabilities",
    "twiml",
    "uri-map",
  ]) {
    ajv.addFormat(vendorFormat, true);
  }
  return ajv;
}

/** Resolves a local `#/components/...` reference inside the document. */
function resolve<T>(document: OpenApiDocument, value: T): T {
  const ref = (value as Schema | undefined)?.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/")) return value;
  let target: unknown = document;
  for (const part of ref.slice(2).split("/")) target = (target as Schema)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  return resolve(document, target as T);
}

function validatorFor(name: VendorSpec, key: string, schema: Schema, coerceForm: boolean): ValidateFunction {
  const spec = specFor(name);
  const cacheKey = `${key} ${coerceForm}`;
  let validate = spec.validators.get(cacheKey);
  if (!validate) {
    // The schema keeps its `#/components/...` references: carrying the components beside it
    // lets them resolve inside the compiled schema.
    validate = spec.ajvFor(coerceForm).compile({ ...schema, components: spec.document.components });
    spec.validators.set(cacheKey, validate);
  }
  return validate;
}

// ---------------------------------------------------------------------------------------------
// Checking a request

export function checkRequest(name: VendorSpec, request: IncomingRequest): CheckedRequest {
  const spec = specFor(name);
  const method = request.method.toLowerCase();
  const route = spec.routes.find((candidate) => candidate.pattern.test(request.path));
  const result: CheckedRequest = { pathTemplate: null, operationId: null, pathParams: {}, body: undefined, problems: [] };
  if (!route) {
    result.problems.push({ field: "path", message: `${request.path} is not a path in ${name}` });
    return result;
  }
  result.pathTemplate = route.template;
  const match = route.pattern.exec(request.path)!;
  route.names.forEach((paramName, index) => (result.pathParams[paramName] = decodeURIComponent(match[index + 1])));

  const pathItem = spec.document.paths[route.template];
  const operation = pathItem[method] as Operation | undefined;
  if (!operation) {
    result.problems.push({ field: "method", message: `${request.method.toUpperCase()} is not allowed on ${route.template}` });
    return result;
  }
  result.operationId = operation.operationId ?? `${method.toUpperCase()} ${route.template}`;

  // Path parameters (e.g. AccountSid must look like AC + 32 hex digits).
  const parameters = [...((pathItem.parameters as Schema[] | undefined) ?? []), ...(operation.parameters ?? [])].map((parameter) =>
    resolve(spec.document, parameter),
  );
  for (const parameter of parameters.filter((candidate) => candidate.in === "path")) {
    const paramName = parameter.name as string;
    const validate = validatorFor(name, `${route.template} path ${paramName}`, parameter.schema as Schema, true);
    if (!validate(result.pathParams[paramName])) {
      result.problems.push(...describe(validate.errors, paramName));
    }
  }

  // The body, against the schema for its content type, with the spec's gaps corrected.
  const requestBody = resolve(spec.document, operation.requestBody) as
    | { required?: boolean; content?: Record<string, { schema?: Schema }> }
    | undefined;
  const contentType = (request.contentType ?? "").split(";")[0].trim().toLowerCase();
  if (!requestBody?.content) {
    return result;
  }
  const media = requestBody.content[contentType];
  if (!media?.schema) {
    result.problems.push({
      field: "content-type",
      message: `expected ${Object.keys(requestBody.content).join(" or ")}, got ${contentType || "no content type"}`,
    });
    return result;
  }
  const decoded = decodeBody(contentType, request.body);
  if (!decoded.ok) {
    result.problems.push({ field: "body", message: decoded.error });
    return result;
  }
  result.body = decoded.value;
  const schema = correctedSchema(name, route.template, method, resolve(spec.document, media.schema));
  const validate = validatorFor(name, `${route.template} ${method} ${contentType}`, schema, contentType === FORM);
  if (!validate(result.body)) result.problems.push(...describe(validate.errors, contentType === FORM ? "" : "body"));
  result.problems.push(...gapChecks(name, route.template, method, result.body));
  return result;
}

function decodeBody(contentType: string, body: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (contentType === JSON_TYPE) {
    try {
      return { ok: true, value: JSON.parse(body) };
    } catch (error) {
      return { ok: false, error: `the body is not valid JSON: ${(error as Error).message}` };
    }
  }
  if (contentType === FORM) {
    // A key sent once is a string, a repeated key (MediaUrl=...&MediaUrl=...) a list; the
    // validator then coerces each to the type the schema declares.
    const fields: Record<string, string | string[]> = {};
    for (const [key, value] of new URLSearchParams(body)) {
      const previous = fields[key];
      fields[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    }
    return { ok: true, value: fields };
  }
  return { ok: true, value: body };
}

function describe(errors: ErrorObject[] | null | undefined, root: string): RequestProblem[] {
  return (errors ?? []).map((error) => {
    const missing = error.keyword === "required" ? `/${(error.params as { missingProperty: string }).missingProperty}` : "";
    const pointer = `${error.instancePath}${missing}`;
    const field = root ? `${root}${pointer}` : pointer.replace(/^\//, "") || "body";
    const message = error.keyword === "required" ? "is required" : (error.message ?? "is invalid");
    return { field, message: `${field} ${message}` };
  });
}

// ---------------------------------------------------------------------------------------------
// What the specs get wrong or cannot say (see tests/fixtures/vendor-specs/README.md)

const SENDGRID_MAIL_SEND = "/v3/mail/send";
const TWILIO_MESSAGES = "/2010-04-01/Accounts/{AccountSid}/Messages.json";
const stringMap = { type: "object", additionalProperties: { type: "string" } };

/** The body schema with the spec's known mistakes corrected (on a copy). */
function correctedSchema(name: VendorSpec, template: string, method: string, schema: Schema): Schema {
  const copy = structuredClone(schema);
  if (name === "sendgrid-mail-v3" && template === SENDGRID_MAIL_SEND && method === "post") {
    // The spec types top-level custom_args as a string; the API takes an object of strings
    // (and refuses non-string values at both levels).
    const properties = copy.properties as Record<string, Schema>;
    properties.custom_args = { ...stringMap, description: properties.custom_args?.description };
    const personalization = (properties.personalizations as { items: { properties: Record<string, Schema> } }).items;
    personalization.properties.custom_args = { ...personalization.properties.custom_args, ...stringMap };
  }
  if (name === "twilio-api-v2010") dropIgnoredFormats(copy);
  return copy;
}

/** Twilio marks some formats (e.g. MediaUrl's `uri`) with x-twilio.ignoreFormat: its API does not enforce them. */
function dropIgnoredFormats(node: unknown): void {
  if (!node || typeof node !== "object") return;
  const schema = node as Schema;
  if ((schema["x-twilio"] as { ignoreFormat?: boolean } | undefined)?.ignoreFormat) delete schema.format;
  for (const child of Object.values(schema)) dropIgnoredFormats(child);
}

function gapChecks(name: VendorSpec, template: string, method: string, body: unknown): RequestProblem[] {
  if (!body || typeof body !== "object" || method !== "post") return [];
  if (name === "sendgrid-mail-v3" && template === SENDGRID_MAIL_SEND) return sendGridMailRules(body as SendGridMail);
  if (name === "twilio-api-v2010" && template === TWILIO_MESSAGES) return twilioMessageRules(body as Record<string, unknown>);
  return [];
}

type SendGridMail = {
  subject?: string;
  template_id?: string;
  content?: Array<{ type?: string; value?: string }>;
  personalizations?: Array<{ subject?: string }>;
  headers?: Record<string, unknown>;
};

// Headers SendGrid refuses to let a sender set (listed in the spec's description of `headers`).
const RESERVED_SENDGRID_HEADERS = [
  "x-sg-id",
  "x-sg-eid",
  "received",
  "dkim-signature",
  "content-type",
  "content-transfer-encoding",
  "to",
  "from",
  "subject",
  "reply-to",
  "cc",
  "bcc",
];

/** Mail Send rules the API enforces in prose rather than in the schema. */
function sendGridMailRules(mail: SendGridMail): RequestProblem[] {
  const problems: RequestProblem[] = [];
  const hasTemplate = typeof mail.template_id === "string" && mail.template_id.length > 0;
  if (!hasTemplate && !(mail.content && mail.content.length > 0)) {
    problems.push({ field: "content", message: "Unless a valid template_id is provided, the content parameter is required." });
  }
  const everyPersonalizationHasSubject = (mail.personalizations ?? []).every((p) => typeof p.subject === "string" && p.subject !== "");
  if (!hasTemplate && !mail.subject && !(mail.personalizations?.length && everyPersonalizationHasSubject)) {
    problems.push({ field: "subject", message: "The subject is required (globally or in every personalization)." });
  }
  const types = (mail.content ?? []).map((part) => part.type);
  const htmlIndex = types.indexOf("text/html");
  const plainIndex = types.indexOf("text/plain");
  if (plainIndex > 0 || (htmlIndex >= 0 && plainIndex > htmlIndex)) {
    problems.push({ field: "content", message: "If present, text/plain must be first, followed by text/html, followed by any other content." });
  }
  for (const header of Object.keys(mail.headers ?? {})) {
    if (RESERVED_SENDGRID_HEADERS.includes(header.toLowerCase())) {
      problems.push({ field: `headers/${header}`, message: `The ${header} header cannot be set in headers.` });
    }
  }
  for (const [header, value] of Object.entries(mail.headers ?? {})) {
    if (typeof value !== "string") problems.push({ field: `headers/${header}`, message: "Header values must be strings." });
  }
  return problems;
}

/** Create Message rules the spec cannot express (Twilio answers them with error codes). */
function twilioMessageRules(fields: Record<string, unknown>): RequestProblem[] {
  const problems: RequestProblem[] = [];
  const present = (key: string) => fields[key] !== undefined && fields[key] !== "" && !(Array.isArray(fields[key]) && (fields[key] as unknown[]).length === 0);
  if (!present("Body") && !present("MediaUrl") && !present("ContentSid")) {
    problems.push({ field: "Body", message: "A text message Body, MediaUrl or ContentSid is required." });
  }
  if (!present("From") && !present("MessagingServiceSid")) {
    problems.push({ field: "From", message: "A 'From' phone number or a MessagingServiceSid is required." });
  }
  if (present("ContentVariables")) {
    let variables: unknown;
    try {
      variables = JSON.parse(String(fields.ContentVariables));
    } catch {
      variables = undefined;
    }
    const isStringMap = !!variables && typeof variables === "object" && !Array.isArray(variables) && Object.values(variables).every((value) => typeof value === "string");
    if (!isStringMap) problems.push({ field: "ContentVariables", message: "ContentVariables must be a JSON object of strings." });
    if (!present("ContentSid")) problems.push({ field: "ContentVariables", message: "ContentVariables needs a ContentSid." });
  }
  return problems;
}

/** Which Twilio error code the fake answers a problem with (as the real API would). */
export function twilioErrorCodeFor(problem: RequestProblem): number {
  if (problem.field === "To") return 21604;
  if (problem.field === "From") return 21603;
  if (problem.field === "Body") return 21619;
  if (problem.field === "ContentVariables") return 21656;
  return 20001;
}

// ---------------------------------------------------------------------------------------------
// The recording server both fakes share: a real node:http server on 127.0.0.1 (a free port),
// every request read whole, checked and recorded, and scripted answers a test queues up.

export type RecordedRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The body decoded (JSON, or form fields coerced to the spec's types). */
  body: unknown;
  pathParams: Record<string, string>;
  /** The spec operation the request matched, e.g. SendMail, CreateMessage. */
  operationId: string | null;
  /** What the vendor's spec (plus its known gaps) says is wrong with the request; empty when fine. */
  problems: RequestProblem[];
  /** The status the fake answered with. */
  status: number;
};

export type Reply = { status: number; headers?: Record<string, string>; body?: unknown };

export class HttpFake {
  private constructor(
    private readonly server: Server,
    /** Base URL, e.g. http://127.0.0.1:54321 */
    readonly url: string,
    /** Every request, in arrival order. */
    readonly requests: RecordedRequest[],
  ) {}

  /** Starts a server that checks every request against `spec`, then lets `answer` reply. */
  static async listen(spec: VendorSpec, answer: (request: Omit<RecordedRequest, "status">) => Reply): Promise<HttpFake> {
    const requests: RecordedRequest[] = [];
    const server = createServer((incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("end", () => {
        const url = new URL(incoming.url ?? "/", "http://127.0.0.1");
        const rawBody = Buffer.concat(chunks).toString("utf8");
        const method = incoming.method ?? "GET";
        const checked = checkRequest(spec, { method, path: url.pathname, contentType: incoming.headers["content-type"], body: rawBody });
        const request = {
          method,
          path: url.pathname,
          query: url.searchParams,
          headers: incoming.headers,
          rawBody,
          body: checked.body,
          pathParams: checked.pathParams,
          operationId: checked.operationId,
          problems: checked.problems,
        };
        let reply: Reply;
        try {
          reply = answer(request);
        } catch (error) {
          reply = { status: 500, body: { message: `the fake vendor crashed: ${(error as Error).message}` } };
        }
        requests.push({ ...request, status: reply.status });
        send(response, reply);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return new HttpFake(server, `http://127.0.0.1:${port}`, requests);
  }

  async close(): Promise<void> {
    // SDK clients keep connections alive; end them so close() returns.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function send(response: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload = "";
  if (reply.body !== undefined) {
    payload = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
    if (!Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) headers["Content-Type"] = "application/json";
  }
  response.writeHead(reply.status, headers);
  response.end(payload);
}
