/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

// Tauri serves the built files from ui/dist; in development it loads the dev server on 1420.

export default defineConfig({
  plugins: [vue()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    watch: { ignored: ["**/src-tauri/**"] },
  },
  envPrefix: ["VITE_", "TAURI_ENV_"],
  build: {
    // WebKitGTK on Debian 12 / Ubuntu 22.04+ is at least as capable as Safari 15.
    target: "safari15",
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
    rollupOptions: {
      output: {
        // The pdf.js worker is an .mjs asset; serve it as .js so every webview's custom protocol
        // gives it a JavaScript MIME type (module scripts are refused otherwise).
        assetFileNames: (asset) =>
          (asset.names?.[0] ?? "").endsWith(".mjs") ? "assets/[name]-[hash].js" : "assets/[name]-[hash][extname]",
      },
    },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    css: false,
    server: { deps: { inline: ["element-plus"] } },
  },
});
