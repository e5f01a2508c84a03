import { NextResponse } from "next/server";
import { config } from "@/app/lib/config";
import { clearSession } from "@/app/lib/session";

/** Ends the dashboard's session (the issuer's own session stays; its login form shows again after it expires). */
export async function POST() {
  await clearSession();
  return NextResponse.redirect(`${config().publicUrl}/login?signedOut=1`, { status: 303 });
}
