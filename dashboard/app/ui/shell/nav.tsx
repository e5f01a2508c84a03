"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/app/lib/utils";

export const NAV = [
  { href: "/", label: "Overview" },
  { href: "/incidents", label: "Incidents" },
  { href: "/anomalies", label: "Anomalies" },
  { href: "/alerts", label: "Alerts" },
  { href: "/uploads", label: "Uploads" },
  { href: "/search", label: "Search" },
  { href: "/usage", label: "Usage & billing" },
  { href: "/settings/keys", label: "API keys" },
  { href: "/settings/members", label: "Members" },
];

export function Nav() {
  const path = usePathname();
  return (
    <nav aria-label="Main" className="grid gap-1">
      {NAV.map((item) => {
        const active = item.href === "/" ? path === "/" || path.startsWith("/sources") : path.startsWith(item.href);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "rounded-md px-3 py-2 text-sm hover:bg-accent",
              active ? "bg-accent font-medium text-foreground" : "text-muted-foreground",
            )}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
