// Verify a ypovoli webhook in Node.js (no dependencies): `Ypovoli-Signature: t=<unix>,v1=<hex>` is
// HMAC-SHA256 with your webhook secret over "<t>.<raw body>". Use the raw body bytes (not re-serialised
// JSON), refuse a `t` more than five minutes from your clock, compare in constant time, and deduplicate
// by the event's `id` in the verified body (the signature does not cover the `Ypovoli-Event-Id` header).
//
//   node verify_webhook.js SECRET SIGNATURE_HEADER BODY_FILE   → prints "valid" or "invalid", exit 0/1
"use strict";
const crypto = require("crypto");
const fs = require("fs");

const TOLERANCE_S = 300;

function verify(secret, header, body, nowS = Date.now() / 1000) {
  const parts = Object.fromEntries(header.split(",").filter((p) => p.includes("=")).map((p) => {
    const i = p.indexOf("=");
    return [p.slice(0, i), p.slice(i + 1)];
  }));
  const t = Number.parseInt(parts.t, 10);
  if (!Number.isFinite(t) || Math.abs(nowS - t) > TOLERANCE_S) return false;
  const expected = crypto.createHmac("sha256", secret).update(`${t}.`).update(body).digest("hex");
  const given = Buffer.from(parts.v1 || "", "utf8");
  const wanted = Buffer.from(expected, "utf8");
  return given.length === wanted.length && crypto.timingSafeEqual(given, wanted);
}

module.exports = { verify };

if (require.main === module) {
  const [secret, header, path] = process.argv.slice(2);
  const ok = verify(secret, header, fs.readFileSync(path));
  console.log(ok ? "valid" : "invalid");
  process.exit(ok ? 0 : 1);
}
