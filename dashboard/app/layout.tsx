import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "LogAi", template: "%s · LogAi" },
  description: "Your logs, their patterns, anomalies and incidents.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
