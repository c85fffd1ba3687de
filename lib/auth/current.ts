// The signed-in admin for server components (pages and layouts).
import { cookies } from "next/headers";
import { appContext } from "@/lib/context";
import { SESSION_COOKIE, validateSession } from "./service";

export async function currentAdmin() {
  const store = await cookies();
  return validateSession(appContext(), store.get(SESSION_COOKIE)?.value);
}
