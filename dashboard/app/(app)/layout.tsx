import Link from "next/link";
import { getMe } from "@/app/lib/api";
import { Nav } from "@/app/ui/shell/nav";
import { OrgSwitcher } from "@/app/ui/shell/org-switcher";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const me = await getMe();
  return (
    <div className="flex min-h-screen">
      <aside className="hidden w-60 shrink-0 flex-col gap-6 border-r bg-muted/30 p-4 md:flex">
        <Link href="/" className="text-lg font-semibold">
          <span aria-hidden>◆ </span>LogAi
        </Link>
        <div className="grid gap-1">
          <div className="text-sm font-medium" data-testid="org-name">
            {me.org_name}
          </div>
          <div className="flex gap-1">
            <Badge variant="outline">{me.plan}</Badge>
            {me.role && (
              <Badge variant="secondary" data-testid="role">
                {me.role}
              </Badge>
            )}
          </div>
          <OrgSwitcher current={me.org_id} orgs={me.orgs} />
        </div>
        <Nav />
        <div className="mt-auto grid gap-2 text-xs text-muted-foreground">
          <span className="truncate" title={me.email}>
            {me.email}
          </span>
          <form action="/api/auth/logout" method="post">
            <Button type="submit" variant="outline" size="sm" className="w-full">
              Sign out
            </Button>
          </form>
        </div>
      </aside>
      <main className="min-w-0 flex-1 p-6 lg:p-8">{children}</main>
    </div>
  );
}
