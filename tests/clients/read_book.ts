// Reads the book with the TypeScript types generated from the API's schema (openapi-typescript).
//
// Run by test_generated_clients: type-checked by tsc (strict) beside the generated schema.d.ts,
// then run by tsx as `tsx read_book.ts BASE_URL`, with Node's fetch. The types hold the script
// to the schema at compile time; at run time each response is checked for the fields the script
// reads, and any error status fails. Prints one line per step.
import type { components, paths } from "./schema";

declare const process: { argv: string[]; exit(code: number): never };

type Schemas = components["schemas"];
type Json<P extends keyof paths> = paths[P]["get"] extends {
  responses: { 200: { content: { "application/json": infer T } } };
}
  ? T
  : never;

const base = process.argv[2].replace(/\/$/, "");

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function get<P extends keyof paths>(path: P, params: Record<string, string>, ref = ""): Promise<Json<P>> {
  const url = new URL(base + path.replace("{ref}", encodeURIComponent(ref)));
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Json<P>;
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

function checkChapter(chapter: Schemas["ChapterDetail"], locale: string): void {
  check(isString(chapter.title) && isString(chapter.url) && chapter.key.length === 36, "a chapter's title, url, key");
  check(chapter.locale === locale, `chapter served in ${chapter.locale}, not ${locale}`);
  check(Array.isArray(chapter.body) && chapter.body.length > 0, "a chapter's body");
  for (const block of chapter.body) {
    check(isString(block.type) && isString(block.id), "a block's type and id");
  }
}

async function main(): Promise<void> {
  const locales = await get("/api/v1/locales/", {});
  const codes = locales.results.map((locale: Schemas["Locale"]) => locale.code);
  check(codes.includes("fr") && codes.includes("en"), `locales ${codes}`);
  console.log(`locales: ${codes.join(", ")}`);

  const books = await get("/api/v1/books/", { locale: "en" });
  const key = books.results[0].key;
  const book: Schemas["WholeBook"] = await get("/api/v1/books/{ref}/", { locale: "en" }, key);
  const chapters: Schemas["ChapterReference"][] = book.toc.flatMap((part: Schemas["TocPart"]) => part.chapters);
  check(chapters.length > 0 && book.included === undefined, "a table of contents, nothing included");
  console.log(`table of contents (en): ${book.toc.length} parts, ${chapters.length} chapters`);

  const french = await get("/api/v1/chapters/{ref}/", { locale: "fr" }, chapters[0].key);
  const english = await get("/api/v1/chapters/{ref}/", { locale: "en" }, chapters[0].key);
  checkChapter(french, "fr");
  checkChapter(english, "en");
  check(french.key === english.key && french.title !== english.title, "one chapter in two languages");
  console.log(`chapter in two languages: “${french.title}” / “${english.title}”, ${english.body.length} blocks`);

  const word = french.title.split(" ").reduce((a: string, b: string) => (b.length > a.length ? b : a));
  const found = await get("/api/v1/search/", { q: word, locale: "fr" });
  check(found.count > 0 && found.results.every((result: Schemas["SearchResult"]) => isString(result.url)), word);
  console.log(`search (fr) “${word}”: ${found.count} results`);

  const kinds = ["chapters", "contributors", "themes", "cities", "sectors"] as const;
  const whole = await get("/api/v1/books/{ref}/", { locale: "en", include: kinds.join(",") }, key);
  const included: Schemas["Included"] | undefined = whole.included;
  check(included !== undefined, "included");
  check(included.chapters?.length === chapters.length, "every chapter of the table of contents");
  for (const chapter of included.chapters) checkChapter(chapter, chapter.locale);
  for (const kind of kinds) {
    const items = included[kind];
    check(items !== undefined && items.length > 0, kind);
    for (const item of items) check(isString(item.key) && isString(item.title) && isString(item.url), kind);
  }
  console.log(`whole book (en): ${kinds.map((kind) => `${included[kind]?.length} ${kind}`).join(", ")}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
