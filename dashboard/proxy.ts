import { NextRequest, NextResponse } from "next/server";

/**
 * Hands the page's path to server components (to come back to it after signing in again), and
 * sends a browser without a session cookie to the sign-in page. The cookie itself is checked where
 * it is opened (app/lib/session.ts).
 */
export function proxy(req: NextRequest) {
  const path = req.nextUrl.pathname + req.nextUrl.search;
  if (!req.cookies.has("logai_session")) {
    const login = req.nextUrl.clone();
    login.pathname = "/login";
    login.search = path === "/" ? "" : `?returnTo=${encodeURIComponent(path)}`;
    return NextResponse.redirect(login);
  }
  const headers = new Headers(req.headers);
  headers.set("x-logai-path", path);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!api/|login|_next/|favicon.ico).*)"],
};
