// Submit one invoice to ypovoli in Node.js 18+ (built-in fetch, no dependencies) and wait for its receipt.
//
//   YPOVOLI_URL=http://127.0.0.1:8000 YPOVOLI_KEY=ypk_… node submit.js invoice.json ORDER-ID
//
// The order id goes out as `Idempotency-Key`: sending the same file again (a timeout, a crash) gets the
// first answer back instead of a second submission.
"use strict";
const fs = require("fs");

async function call(method, path, body, idempotencyKey) {
  const headers = { "x-api-key": process.env.YPOVOLI_KEY, "Content-Type": "application/json" };
  if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
  const answer = await fetch(process.env.YPOVOLI_URL.replace(/\/$/, "") + path, { method, headers, body });
  return [answer.status, await answer.json()];
}

async function main(path, orderId) {
  const [status, body] = await call("POST", "/v1/invoices", fs.readFileSync(path), orderId);
  if (status !== 202) {
    for (const f of body.findings || []) console.error(`${f.code}: ${f.message_en}`);
    return 1;
  }
  for (let i = 0; i < 60; i += 1) {
    const [, submission] = await call("GET", `/v1/invoices/${body.id}`);
    if (["transmitted", "rejected", "overdue"].includes(submission.status)) {
      console.log(JSON.stringify({ id: submission.id, status: submission.status, receipt: submission.receipt }));
      return submission.status === "transmitted" ? 0 : 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return 2;
}

main(process.argv[2], process.argv[3]).then((code) => process.exit(code));
