/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

// `npm run dev` proxies the API and Socket.IO (WebSocket included) to a running server; SWITCHBOARD_URL overrides it.
const target = process.env.SWITCHBOARD_URL ?? "http://localhost:8080";

export default defineConfig({
  plugins: [vue()],
  base: "/",
  build: {
    // the Maven build passes --outDir target/webapp-ui (added to the WAR root); plain `npm run build` uses dist/
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: {
      "/api": { target, changeOrigin: true },
      "/socket.io": { target, changeOrigin: true, ws: true },
    },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
  },
});
