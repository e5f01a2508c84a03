import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Skeleton } from "@/components/ui/skeleton";
import type { Problem } from "@/app/lib/api";

/** What went wrong, in the API's words, with what to do about it. */
export function ErrorState({ error, what }: { error: Problem; what: string }) {
  const hint =
    error.status === 403
      ? "Your role in this org does not allow it; an admin or owner can change your role on the Members page."
      : error.status === 404
        ? "It does not exist in this org (or no longer does)."
        : error.status >= 500
          ? "LogAi's API had a problem; try again in a moment. If it persists, check the service logs (.logai/logs/)."
          : "";
  return (
    <Alert variant="destructive">
      <AlertTitle>
        Could not load {what}: {error.title}
      </AlertTitle>
      <AlertDescription>
        {error.detail} {hint}
      </AlertDescription>
    </Alert>
  );
}

export function EmptyState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed p-8 text-center">
      <p className="font-medium">{title}</p>
      {children && <div className="mt-2 text-sm text-muted-foreground">{children}</div>}
    </div>
  );
}

export function TableSkeleton({ rows = 5 }: { rows?: number }) {
  return (
    <div className="grid gap-2" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-10 w-full" />
      ))}
    </div>
  );
}

export function PageSkeleton() {
  return (
    <div className="grid gap-6" aria-busy="true" aria-label="Loading">
      <Skeleton className="h-8 w-64" />
      <Skeleton className="h-64 w-full" />
      <TableSkeleton />
    </div>
  );
}

export function PageHeader({ title, description, children }: { title: string; description?: React.ReactNode; children?: React.ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {description && <p className="mt-1 text-sm text-muted-foreground">{description}</p>}
      </div>
      {children && <div className="flex flex-wrap gap-2">{children}</div>}
    </div>
  );
}
