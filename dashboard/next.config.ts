import type { NextConfig } from "next";

const config: NextConfig = {
  // The dashboard talks to the API server-side only; no image optimisation server, no telemetry.
  poweredByHeader: false,
  images: { unoptimized: true },
  typedRoutes: false,
};

export default config;
