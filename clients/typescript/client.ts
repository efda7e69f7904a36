/* SPDX-License-Identifier: Apache-2.0 */
// A minimal typed client over the types openapi-typescript generates from
// api/openapi.yaml (schema.d.ts): it signs every request as the API wants
// and types the JSON of each route. CI compiles it with tsc; docs/clients.md
// shows how to use it.
import type { components, paths } from "./schema";

export type Account = components["schemas"]["Account"];
export type Transaction = components["schemas"]["Transaction"];

type JSONOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { "application/json": infer T } } };
}
  ? T
  : never;

/**
 * signature returns the X-Iswigo-Signature of a request: "$5$" and the
 * lower-case hex SHA-256 of secret, the lower-case method, the path and
 * query exactly as sent and the body, joined by "+".
 */
export async function signature(secret: string, method: string, pathAndQuery: string, body: string): Promise<string> {
  const data = new TextEncoder().encode(`${secret}+${method.toLowerCase()}+${pathAndQuery}+${body}`);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return "$5$" + Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class IswigoClient {
  token = "";

  constructor(
    private readonly baseURL: string,
    private readonly app: string,
    private readonly secret: string,
  ) {}

  /** send signs and sends one request; pathAndQuery must be encoded as it goes on the wire. */
  async send(method: string, pathAndQuery: string, body?: unknown): Promise<Response> {
    const text = body === undefined ? "" : JSON.stringify(body);
    const headers: Record<string, string> = {
      "X-Iswigo-App": this.app,
      "X-Iswigo-Signature": await signature(this.secret, method, pathAndQuery, text),
    };
    if (text !== "") headers["Content-Type"] = "application/json";
    if (this.token !== "") headers["Authorization"] = `Bearer ${this.token}`;
    return fetch(this.baseURL + pathAndQuery, { method, headers, body: text === "" ? undefined : text });
  }

  private async json<T>(method: string, pathAndQuery: string, body?: unknown): Promise<T> {
    const resp = await this.send(method, pathAndQuery, body);
    const value = await resp.json();
    if (!resp.ok) {
      const err = value as components["schemas"]["Error"];
      throw new Error(`${method} ${pathAndQuery}: ${err.error.code} ${err.error.description}`);
    }
    return value as T;
  }

  async authenticate(email: string, password: string): Promise<components["schemas"]["Token"]> {
    const body: components["schemas"]["Credentials"] = { email, password };
    const token = await this.json<components["schemas"]["Token"]>("POST", "/v1/authenticate", body);
    this.token = token.access_token;
    return token;
  }

  accounts(): Promise<JSONOf<"/v1/bank/accounts", "get">> {
    return this.json("GET", "/v1/bank/accounts");
  }

  transactions(accountID: string, from = 0, to = 99): Promise<JSONOf<"/v1/bank/accounts/{id}/transactions", "get">> {
    return this.json("GET", `/v1/bank/accounts/${encodeURIComponent(accountID)}/transactions?range=${from}-${to}`);
  }
}
