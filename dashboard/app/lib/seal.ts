import { EncryptJWT, jwtDecrypt, base64url } from "jose";
import { createHash } from "node:crypto";

/**
 * Sealing of cookie values with JWE (dir + A256GCM, by jose): the browser holds the session but can
 * neither read nor change it. The key is the SHA-256 of LOGAI_DASHBOARD_SECRET.
 */
function key(secret: string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(secret, "utf8").digest());
}

export async function seal(payload: Record<string, unknown>, secret: string, maxAgeSeconds: number): Promise<string> {
  return new EncryptJWT(payload)
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt()
    .setExpirationTime(`${maxAgeSeconds}s`)
    .encrypt(key(secret));
}

/** The payload, or null when the value is missing, forged, sealed with another key or expired. */
export async function unseal<T>(value: string | undefined, secret: string): Promise<T | null> {
  if (!value) return null;
  try {
    const { payload } = await jwtDecrypt(value, key(secret), { keyManagementAlgorithms: ["dir"] });
    return payload as T;
  } catch {
    return null;
  }
}

export const randomToken = (bytes = 32) => base64url.encode(crypto.getRandomValues(new Uint8Array(bytes)));
