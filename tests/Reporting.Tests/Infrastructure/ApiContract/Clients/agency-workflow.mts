// Type-checked (tsc --strict) and run by GeneratedClientTests against the published handler, with the types
// openapi-typescript generates from the served API description (api.d.ts, beside this file at test time) and
// openapi-fetch: the code an agency's TypeScript developer writes, with no casts.
//   node agency-workflow.mjs <base URL> <agency token> <staff token> <admin token>
import createClient from "openapi-fetch";
import type { paths } from "./api.js";
import { strict as assert } from "node:assert";

const argument = (i: number): string => {
  const value = process.argv[2 + i];
  if (!value) throw new Error("usage: node agency-workflow.mjs <base URL> <agency token> <staff token> <admin token>");
  return value;
};
const [baseUrl, agencyToken, staffToken, adminToken] = [argument(0), argument(1), argument(2), argument(3)];
const client = (token: string) => createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
const agency = client(agencyToken);
const staff = client(staffToken);
const admin = client(adminToken);

// The catalog.
const catalog = await agency.GET("/api/indicators");
assert.equal(catalog.response.status, 200);
assert.equal(catalog.data?.length, 18);
const share = catalog.data?.find((i) => i.id === "research-time-share");
assert.equal(share?.valueKind, "percentage");
assert.equal(share?.yearType, "fiscal");

// A new value (201), only if there is none yet; series and note are optional, If-None-Match a declared header.
const created = await agency.PUT("/api/indicators/{id}/values/{year}", {
  params: { path: { id: "research-time-share", year: 2024 }, header: { "If-None-Match": "*" } },
  body: { value: 33.5, status: "provisional", note: "速報値" },
});
assert.equal(created.response.status, 201);
const etag = created.response.headers.get("ETag");
assert.ok(etag);
assert.equal(created.data?.eTag, etag);
assert.equal(created.data?.status, "provisional");

// Revised with If-Match (200); a stale If-Match gets a typed 412 problem.
const revised = await agency.PUT("/api/indicators/{id}/values/{year}", {
  params: { path: { id: "research-time-share", year: 2024 }, header: { "If-Match": etag } },
  body: { value: 34.1 },
});
assert.equal(revised.response.status, 200);
assert.equal(revised.data?.revision, 2);
const stale = await agency.PUT("/api/indicators/{id}/values/{year}", {
  params: { path: { id: "research-time-share", year: 2024 }, header: { "If-Match": etag } },
  body: { value: 35 },
});
assert.equal(stale.response.status, 412);
assert.equal(stale.error?.status, 412);

// An invalid value: a 400 whose errors name the field.
const invalid = await agency.PUT("/api/indicators/{id}/values/{year}", {
  params: { path: { id: "research-time-share", year: 2023 } },
  body: { value: 250 },
});
assert.equal(invalid.response.status, 400);
assert.ok(invalid.error && "errors" in invalid.error && invalid.error.errors?.value);

// History, as a boolean query parameter.
const history = await agency.GET("/api/indicators/{id}/values", { params: { path: { id: "research-time-share" }, query: { history: true } } });
assert.deepEqual(history.data?.values.find((v) => v.year === 2024)?.history?.map((h) => h.value), [33.5, 34.1]);

// A CSV import, dry run, sent as text/csv; then JSON rows.
const dry = await agency.POST("/api/imports", {
  params: { query: { dryRun: true } },
  body: "indicator,series,year,value\ndoctoral-students-degrees,enrolments,2024,\"15,020\"\n",
  bodySerializer: (csv) => csv,
  headers: { "Content-Type": "text/csv; charset=utf-8" },
});
assert.equal(dry.response.status, 200);
assert.equal(dry.data?.dryRun, true);
assert.equal(dry.data?.accepted, 1);
const rows = await agency.POST("/api/imports/rows", {
  body: [{ indicator: "research-time-share", year: 2025, value: 35.2, status: "provisional" }],
});
assert.equal(rows.data?.accepted, 1);

// The administrator sets a target: a typed body.
const target = await admin.PUT("/api/indicators/{id}/target", {
  params: { path: { id: "smart-city-municipalities" } },
  body: { kind: "reach", value: 300, year: 2030, reason: "CSTI決定" },
});
assert.equal(target.data?.target.kind, "reach");

// The secretariat: a report, its PDF as bytes, progress and completeness.
const report = await staff.POST("/api/reports", { body: { fiscalYear: 2025 } });
assert.ok(report.response.status === 201 || report.response.status === 200);
assert.equal(report.data?.status, "draft");
const pdf = await staff.GET("/api/reports/{fiscalYear}", { params: { path: { fiscalYear: 2025 } }, parseAs: "arrayBuffer" });
assert.equal(pdf.response.headers.get("Content-Type"), "application/pdf");
assert.equal(new TextDecoder().decode(pdf.data?.slice(0, 5)), "%PDF-");
const progress = await staff.GET("/api/progress/{fiscalYear}", { params: { path: { fiscalYear: 2025 } } });
assert.equal(progress.data?.length, 18);
assert.equal(progress.data?.find((p) => p.indicatorId === "research-time-share")?.series[0]?.components.currentValue, 35.2);
const completeness = await staff.GET("/api/completeness/{fiscalYear}", { params: { path: { fiscalYear: 2025 } } });
assert.equal(completeness.data?.fiscalYear, 2025);

console.log("typescript workflow: ok");
