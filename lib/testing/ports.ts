import type { Server } from "node:http";
import net from "node:net";

/** A TCP port free on 127.0.0.1 right now (the kernel's pick), for a server started next. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The TCP port a listening server was given. */
export function portOf(server: Server | net.Server) {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("The server is not listening on a TCP port.");
  return address.port;
}
