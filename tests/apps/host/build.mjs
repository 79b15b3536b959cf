// Bundles host-entry.js (the ext-apps AppBridge and its dependencies) into dist/host.js, one classic script.
// The bundle is committed so the tests need no Node: rebuild only when the host changes or ext-apps is upgraded:
//   cd tests/apps/host && npm ci && npm run build
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
await build({
  entryPoints: [join(here, "host-entry.js")],
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2022",
  minify: true,
  legalComments: "eof",
  banner: {
    js: "/* Test host for lifestyle-mcp's MCP Apps views. Bundles @modelcontextprotocol/ext-apps 2.0.4, " +
      "@modelcontextprotocol/core and client 2.4.0 (Apache-2.0), zod 4.6.7 and others (MIT); see LICENSES.md. */",
  },
  outfile: join(here, "dist/host.js"),
});
console.log("dist/host.js written");
