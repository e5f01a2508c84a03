"use client";

import { Button } from "@/components/ui/button";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

/** Anything a page did not turn into its own error state: said plainly, with a retry. */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <Alert variant="destructive">
      <AlertTitle>This page could not be shown</AlertTitle>
      <AlertDescription>
        <p>
          {error.message.startsWith("5") || error.message.includes("not reachable")
            ? error.message
            : "Something went wrong while loading it. Try again; if it keeps failing, the dashboard's log has the details"}
          {error.digest ? ` (reference ${error.digest}).` : "."}
        </p>
        <Button className="mt-3" size="sm" variant="outline" onClick={reset}>
          Try again
        </Button>
      </AlertDescription>
    </Alert>
  );
}
