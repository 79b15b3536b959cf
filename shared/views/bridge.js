// The view's side of the MCP Apps bridge (ext-apps protocol 2026-01-26): JSON-RPC 2.0 over postMessage with the
// host. Written by hand instead of bundling the ext-apps App class (about 600 KB with zod): a view needs only
// initialize, the tool-input/tool-result notifications, tools/call, a few host requests and size reports.
// Inlined into every view by shared/kit/apps.py, so no view fetches anything.
const mcpApp = (() => {
  const PROTOCOL = "2026-01-26";
  const pending = new Map();
  const handlers = new Map();
  let nextId = 1;
  let host = null;

  const post = (message) => window.parent.postMessage({ jsonrpc: "2.0", ...message }, "*");

  function request(method, params) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      post({ id, method, params });
    });
  }

  function notify(method, params) {
    post(params === undefined ? { method } : { method, params });
  }

  window.addEventListener("message", (event) => {
    if (event.source !== window.parent) return; // only the host (or its sandbox proxy) speaks to us
    const m = event.data;
    if (!m || m.jsonrpc !== "2.0") return;
    if (m.method === undefined && pending.has(m.id)) {
      const { resolve, reject } = pending.get(m.id);
      pending.delete(m.id);
      if (m.error) reject(new Error(m.error.message || "host error"));
      else resolve(m.result);
      return;
    }
    if (typeof m.method !== "string") return;
    const handler = handlers.get(m.method);
    if (m.id === undefined) {
      if (handler) handler(m.params || {});
      return;
    }
    // Host requests (ping, ui/resource-teardown) are answered with an empty result.
    Promise.resolve(handler ? handler(m.params || {}) : {}).then(
      (result) => post({ id: m.id, result: result || {} }),
      (error) => post({ id: m.id, error: { code: -32603, message: String(error) } }),
    );
  });

  function applyContext(context) {
    if (!context) return;
    const root = document.documentElement;
    if (context.theme === "light" || context.theme === "dark") root.dataset.theme = context.theme;
    const vars = context.styles && context.styles.variables;
    if (vars) for (const [name, value] of Object.entries(vars)) if (value) root.style.setProperty(name, value);
    if (context.locale) root.lang = context.locale;
  }

  let lastSize = "";
  function reportSize() {
    // The body's own box: the document's scrollHeight never drops below the frame the host gave us, so a view
    // that got shorter would keep its old height.
    const width = Math.ceil(document.documentElement.scrollWidth);
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    const key = `${width}x${height}`;
    if (key !== lastSize) {
      lastSize = key;
      notify("ui/notifications/size-changed", { width, height });
    }
  }

  return {
    /** Register a handler for a host notification or request, e.g. "ui/notifications/tool-result". */
    on(method, handler) {
      handlers.set(method, handler);
    },
    /** ui/initialize, theme the document, then ui/notifications/initialized (the host then sends the tool data). */
    async connect(name, version) {
      handlers.set("ui/notifications/host-context-changed", (ctx) => applyContext(ctx));
      host = await request("ui/initialize", {
        appCapabilities: {},
        appInfo: { name, version },
        protocolVersion: PROTOCOL,
      });
      applyContext(host && host.hostContext);
      notify("ui/notifications/initialized");
      new ResizeObserver(reportSize).observe(document.body);
      reportSize();
      return host;
    },
    get host() {
      return host;
    },
    /** A server tool through the host; resolves with the CallToolResult, rejects if the host refused. */
    callTool(name, args) {
      return request("tools/call", { name, arguments: args || {} });
    },
    /** A user message into the conversation (the host decides whether to send it). */
    sendMessage(text) {
      return request("ui/message", { role: "user", content: [{ type: "text", text }] });
    },
    /** Tell the model what the user did in the view, without starting a turn (when the host supports it). */
    updateModelContext(text, structuredContent) {
      const caps = host && host.hostCapabilities;
      if (!caps || !caps.updateModelContext) return Promise.resolve(null);
      return request("ui/update-model-context", { content: [{ type: "text", text }], structuredContent });
    },
    log(level, data) {
      notify("notifications/message", { level, logger: document.title, data });
    },
  };
})();

/** The text of a CallToolResult (an error's sentence, or the JSON mirror). */
function resultText(result) {
  const part = ((result && result.content) || []).find((c) => c.type === "text");
  return part ? part.text : "";
}
