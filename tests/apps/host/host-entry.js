// A minimal MCP Apps host for the tests, on the ext-apps AppBridge (the host side real hosts build on).
// MCP traffic goes to the Python harness (/api/<server>/...), which forwards it to the real server through the
// Python mcp Client. Bundled to dist/host.js by build.mjs. Adapted from the run-checked apps example.
//
// URL params: ?server=tickets&tool=tickets_get_seat_map&args={...}&theme=light|dark&width=520
//             &mode=srcdoc|proxy&sandbox=<url of sandbox.html on another origin>
import {
  AppBridge,
  PostMessageTransport,
  RESOURCE_MIME_TYPE,
  getToolUiResourceUri,
  isToolVisibilityModelOnly,
} from "@modelcontextprotocol/ext-apps/app-bridge";

const q = new URLSearchParams(location.search);
const server = q.get("server");
const toolName = q.get("tool");
const toolArgs = JSON.parse(q.get("args") ?? "{}");
const mode = q.get("mode") ?? "srcdoc";
const theme = q.get("theme") ?? "light";
const width = Number(q.get("width") ?? 520);

// Style variables a chat host sends (hostContext.styles): the views must take them over their own defaults.
const STYLES = {
  light: { "--color-background-primary": "#faf9f5", "--color-text-primary": "#141413" },
  dark: { "--color-background-primary": "#262624", "--color-text-primary": "#faf9f5" },
};

// Everything a test may want to assert on.
const H = (window.__host = { wire: [], calls: [], messages: [], contexts: [], links: [], logs: [], sizes: [], state: "starting" });
document.body.classList.toggle("dark", theme === "dark");

// The spec's default CSP for a resource without _meta.ui.csp.
function cspFor(csp) {
  const r = (csp?.resourceDomains ?? []).join(" ");
  const c = (csp?.connectDomains ?? []).join(" ") || "'none'";
  return [
    "default-src 'none'",
    `script-src 'self' 'unsafe-inline' ${r}`,
    `style-src 'self' 'unsafe-inline' ${r}`,
    `img-src 'self' data: ${r}`,
    `font-src 'self' ${r}`,
    `media-src 'self' data: ${r}`,
    `connect-src ${c}`,
    `frame-src ${(csp?.frameDomains ?? []).join(" ") || "'none'"}`,
    "object-src 'none'",
    `base-uri ${(csp?.baseUriDomains ?? []).join(" ") || "'self'"}`,
  ].join("; ");
}
const injectCsp = (html, csp) =>
  html.replace(/<head[^>]*>/i, (m) => `${m}<meta http-equiv="Content-Security-Policy" content="${cspFor(csp)}">`);

const api = async (path, body) => {
  const init = body ? { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {};
  const r = await fetch(`/api/${server}${path}`, init);
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status} ${await r.text()}`);
  return r.json();
};

async function main() {
  const { tools } = await api("/tools");
  const byName = new Map(tools.map((t) => [t.name, t]));
  const tool = byName.get(toolName);
  if (!tool) throw new Error(`no tool ${toolName}`);
  const uri = getToolUiResourceUri(tool);
  if (!uri) throw new Error(`${toolName} has no _meta.ui.resourceUri`);

  // Like a real host: start the tool call and fetch the UI resource in parallel.
  const resultPromise = api("/call", { name: toolName, arguments: toolArgs });
  const { contents } = await api(`/resource?uri=${encodeURIComponent(uri)}`);
  const content = contents[0];
  if (content.mimeType !== RESOURCE_MIME_TYPE) throw new Error(`bad mimeType ${content.mimeType}`);
  const html = content.text ?? atob(content.blob);
  const uiMeta = content._meta?.ui ?? {};

  const iframe = document.createElement("iframe");
  iframe.id = "view";
  iframe.title = tool.title ?? tool.name;
  iframe.style.width = `${width}px`;
  if (uiMeta.prefersBorder) iframe.classList.add("bordered");
  document.getElementById("slot").appendChild(iframe);

  const bridge = new AppBridge(
    null, // no JS MCP client: the handlers below answer the view's requests
    { name: "pytest-host", version: "0.1.0" },
    { openLinks: {}, serverTools: {}, serverResources: {}, logging: {}, message: { text: {} }, updateModelContext: { text: {} } },
    {
      hostContext: {
        theme,
        displayMode: "inline",
        availableDisplayModes: ["inline"],
        containerDimensions: { width, maxHeight: 900 },
        locale: "en-US",
        timeZone: "Europe/Helsinki",
        platform: "web",
        toolInfo: { tool },
        styles: { variables: STYLES[theme] },
      },
    },
  );

  // The spec: reject app calls to model-only tools; forward the rest to the server.
  bridge.oncalltool = async (params) => {
    const t = byName.get(params.name);
    if (!t || isToolVisibilityModelOnly(t)) throw new Error(`tool ${params.name} is not callable by apps`);
    H.calls.push({ name: params.name, arguments: params.arguments ?? {} });
    return api("/call", { name: params.name, arguments: params.arguments ?? {} });
  };
  bridge.onreadresource = async (params) => api(`/resource?uri=${encodeURIComponent(params.uri)}`);
  bridge.onmessage = async (params) => { H.messages.push(params); return {}; };
  bridge.onopenlink = async (params) => { H.links.push(params.url); return {}; };
  bridge.onupdatemodelcontext = async (params) => { H.contexts.push(params); return {}; };
  bridge.addEventListener("loggingmessage", (p) => H.logs.push(p));
  bridge.addEventListener("sizechange", ({ width: w, height }) => {
    H.sizes.push({ width: w, height });
    if (height != null) iframe.style.height = `${height}px`;
  });
  bridge.addEventListener("initialized", () => {
    H.state = "initialized";
    bridge.sendToolInput({ arguments: toolArgs });
    resultPromise.then(
      (r) => { H.toolResult = r; bridge.sendToolResult(r); },
      (e) => bridge.sendToolCancelled({ reason: String(e?.message ?? e) }),
    );
  });

  // Record the raw JSON-RPC traffic in both directions.
  const transport = new PostMessageTransport(iframe.contentWindow, iframe.contentWindow);
  const send = transport.send.bind(transport);
  transport.send = (m, o) => { H.wire.push(["host->view", m]); return send(m, o); };
  window.addEventListener("message", (e) => { if (e.source === iframe.contentWindow) H.wire.push(["view->host", e.data]); });

  if (mode === "proxy") {
    // The web-host architecture of the spec: a sandbox proxy on ANOTHER origin loads the view in an inner frame.
    const ready = new Promise((res) => bridge.addEventListener("sandboxready", res));
    iframe.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms");
    await bridge.connect(transport);
    const sb = new URL(q.get("sandbox"));
    sb.searchParams.set("csp", cspFor(uiMeta.csp));
    iframe.src = sb.href;
    await ready;
    await bridge.sendSandboxResourceReady({ html, csp: uiMeta.csp, permissions: uiMeta.permissions });
  } else {
    // One sandboxed srcdoc iframe (opaque origin), the CSP as a <meta>.
    iframe.setAttribute("sandbox", "allow-scripts");
    await bridge.connect(transport);
    iframe.srcdoc = injectCsp(html, uiMeta.csp);
  }
  H.bridge = bridge;
  H.state = "connected";
}

main().catch((e) => {
  H.state = "error";
  H.error = String(e?.stack ?? e);
  document.getElementById("err").textContent = H.error;
});
