import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { safeReturnTo } from "@/app/lib/paths";

export const metadata = { title: "Sign in" };

const ERRORS: Record<string, { title: string; detail: string }> = {
  issuer: {
    title: "The sign-in service is not reachable",
    detail: "LogAi could not reach its OpenID Connect issuer. Locally, is ./logai up running? In production, check LOGAI_OIDC_ISSUER.",
  },
  expired: { title: "The sign-in took too long", detail: "Start again: a sign-in must finish within ten minutes." },
  exchange: {
    title: "The sign-in was not accepted",
    detail: "The issuer's answer could not be verified (the dashboard's log says why). Start again.",
  },
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const error = params.error ? ERRORS[params.error] : undefined;
  const returnTo = safeReturnTo(params.returnTo);
  return (
    <main className="flex min-h-screen items-center justify-center bg-muted/40 p-6">
      <Card className="w-full max-w-sm">
        <CardHeader>
          <CardTitle className="text-2xl">
            <span aria-hidden>◆ </span>LogAi
          </CardTitle>
          <CardDescription>Sign in to see your sources, incidents and alerts.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {error && (
            <Alert variant="destructive">
              <AlertTitle>{error.title}</AlertTitle>
              <AlertDescription>{error.detail}</AlertDescription>
            </Alert>
          )}
          {params.signedOut && <p className="text-sm text-muted-foreground">You are signed out.</p>}
          <Button asChild size="lg">
            <a href={`/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`}>Sign in</a>
          </Button>
          <p className="text-xs text-muted-foreground">
            Locally (./logai up) sign in as owner@logai.local, admin@…, member@… or viewer@… with the password in
            .logai/local.env (LOGAI_LOCAL_OIDC_SECRET).
          </p>
        </CardContent>
      </Card>
    </main>
  );
}
