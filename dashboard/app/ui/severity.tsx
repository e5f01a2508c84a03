import { Badge } from "@/components/ui/badge";

const VARIANT = {
  critical: "destructive",
  high: "destructive",
  medium: "warning",
  low: "info",
  info: "secondary",
} as const;

export function SeverityBadge({ severity }: { severity: string }) {
  const variant = VARIANT[severity as keyof typeof VARIANT] ?? "secondary";
  return <Badge variant={variant}>{severity}</Badge>;
}

export function StatusBadge({ status }: { status: string }) {
  const variant =
    status === "firing" || status === "escalated" || status === "failed"
      ? "destructive"
      : status === "processed" || status === "resolved" || status === "sent" || status === "active"
        ? "success"
        : status === "processing" || status === "queued" || status === "pending" || status === "invited"
          ? "info"
          : "secondary";
  return <Badge variant={variant}>{status.replaceAll("_", " ")}</Badge>;
}
