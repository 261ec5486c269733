/* Unit tests: report templates (report/template) - front matter, --set,
 * Markdown blocks and inlines, YAML blocks, {{ }}, positions and the dump. */
#include <stdlib.h>

#include "common/buf.h"
#include "report/template.h"
#include "test.h"

static er_buf diag_text = ER_BUF_INIT;
static char last_file[64];

static void record_diag(void *ctx, const er_diag *d)
{
	(void)ctx;
	er_buf_printf(&diag_text, "%lu:%lu: %s\n", d->line, d->column, d->message);
	snprintf(last_file, sizeof last_file, "%s", d->file ? d->file : "(null)");
}

static er_template *tpl;
static er_status status;
static char *dump;

/* Parses n bytes of src (with sets); returns the dump, or "" when it fails.
 * The template stays in `tpl`, the diagnostics in diag_text. */
static const char *parse_n(const char *src, size_t n, const er_set *sets, size_t nsets)
{
	size_t len;
	er_diag_sink sink = {record_diag, NULL, 0, 0};
	FILE *f;

	er_template_free(tpl);
	tpl = NULL;
	free(dump);
	dump = NULL;
	er_buf_clear(&diag_text);
	last_file[0] = '\0';
	status = er_template_parse("t.md", src, n, sets, nsets, &sink, &tpl);
	CHECK_INT(sink.errors > 0, status != ER_OK);
	if (status != ER_OK) {
		CHECK(tpl == NULL);
		return "";
	}
	f = open_memstream(&dump, &len);
	if (f == NULL)
		return "";
	CHECK_INT(er_template_dump(tpl, f), ER_OK);
	fclose(f);
	return dump;
}

static const char *parse(const char *src)
{
	return parse_n(src, strlen(src), NULL, 0);
}

static const char *parse_set(const char *src, const er_set *sets, size_t nsets)
{
	return parse_n(src, strlen(src), sets, nsets);
}

static const char *diags(void)
{
	return diag_text.data ? diag_text.data : "";
}

/* DESIGN.md section 4. */
static const char example[] =
	"---\n"
	"title: The Environmental Impact of AI\n"
	"subtitle: Energy and emissions of training large language models\n"
	"author: Sustainability Office\n"
	"date: 2023-04-07\n"
	"theme: ai-index\n"
	"credit: \"Chart: ecoreport\"\n"
	"data:\n"
	"  models: ../datasets/luccioni2022-llm-training.csv\n"
	"  runs: {path: ../datasets/sample-codecarbon-emissions.csv, format: codecarbon, bad_rows: "
	"skip}\n"
	"---\n"
	"\n"
	"# Environment\n"
	"\n"
	"Training GPT-3 emitted {{ max(models.co2_t) }} tonnes of CO2-equivalent.\n"
	"\n"
	"```data\n"
	"name: by_quarter\n"
	"from: runs\n"
	"group_by: [quarter(timestamp), project_name]\n"
	"aggregate: {energy_kwh: sum(energy_consumed), co2_kg: sum(emissions)}\n"
	"sort: [-co2_kg]\n"
	"```\n"
	"\n"
	"```table\n"
	"data: models\n"
	"title: Environmental Impact of Select Large Language Models\n"
	"columns: [model, params, pue, grid_gco2_per_kwh, energy_mwh, co2_t, co2_pue_t]\n"
	"source: Luccioni et al., 2022\n"
	"```\n"
	"\n"
	"```chart\n"
	"type: bar\n"
	"data: models\n"
	"category: model\n"
	"value: co2_t\n"
	"sort: descending\n"
	"title: CO2 Equivalent Emissions (Tonnes) by Select Large Language Models, 2022\n"
	"source: Luccioni et al., 2022\n"
	"```\n";

static const char example_dump[] =
	"front @2:1 {title: The Environmental Impact of AI, subtitle: Energy and emissions of "
	"training large language models, author: Sustainability Office, date: 2023-04-07, theme: "
	"ai-index, credit: \"Chart: ecoreport\", data: {models: "
	"../datasets/luccioni2022-llm-training.csv, runs: {path: "
	"../datasets/sample-codecarbon-emissions.csv, format: codecarbon, bad_rows: skip}}}\n"
	"heading 1 @13:1\n"
	"  text \"Environment\"\n"
	"para @15:1\n"
	"  text \"Training GPT-3 emitted \"\n"
	"  expr \"max(models.co2_t)\" @15:24\n"
	"  text \" tonnes of CO2-equivalent.\"\n"
	"data @17:1 {name: by_quarter, from: runs, group_by: [quarter(timestamp), project_name], "
	"aggregate: {energy_kwh: sum(energy_consumed), co2_kg: sum(emissions)}, sort: [-co2_kg]}\n"
	"table @25:1 {data: models, title: Environmental Impact of Select Large Language Models, "
	"columns: [model, params, pue, grid_gco2_per_kwh, energy_mwh, co2_t, co2_pue_t], source: "
	"\"Luccioni et al., 2022\"}\n"
	"chart @32:1 {type: bar, data: models, category: model, value: co2_t, sort: descending, "
	"title: \"CO2 Equivalent Emissions (Tonnes) by Select Large Language Models, 2022\", source: "
	"\"Luccioni et al., 2022\"}\n";

static void test_example(void)
{
	er_ynode *y;

	CHECK_STR(parse(example), example_dump);
	CHECK_STR(diags(), "");
	if (tpl == NULL)
		return;
	CHECK_STR(tpl->path, "t.md");
	CHECK_INT(tpl->nblocks, 5);
	CHECK_INT(tpl->nfootnotes, 0);
	CHECK_STR(er_yaml_get(tpl->front, "title")->text, "The Environmental Impact of AI");
	y = er_yaml_get(er_yaml_get(tpl->front, "data"), "runs");
	CHECK(y && y->type == ER_Y_MAP && y->line == 10 && y->column == 9);
	CHECK_INT(tpl->blocks[2]->kind, ER_BLK_DATA);
	CHECK_INT(tpl->blocks[3]->kind, ER_BLK_TABLE);
	CHECK_INT(tpl->blocks[4]->kind, ER_BLK_CHART);
	/* YAML positions are the template's lines. */
	y = tpl->blocks[4]->yaml;
	CHECK_INT(y->line, 33);
	CHECK_INT(y->column, 1);
	CHECK_INT(er_yaml_get(y, "title")->line, 38);
	CHECK_INT(er_yaml_get(y, "title")->column, 8);
	CHECK_INT(tpl->blocks[1]->inl[1].kind, ER_INL_EXPR);
	CHECK_INT(tpl->blocks[1]->inl[2].column, 47);
}

static void test_front_matter(void)
{
	CHECK_STR(parse("# Hi\n"), "heading 1 @1:1\n  text \"Hi\"\n");
	CHECK(tpl && tpl->front == NULL);
	CHECK_STR(parse("---\na: 1\nb: [x, 'y z']\n---\nText\n"),
	          "front @2:1 {a: 1, b: [x, \"y z\"]}\n"
	          "para @5:1\n"
	          "  text \"Text\"\n");
	CHECK(tpl && tpl->front && er_yaml_get(tpl->front, "b")->line == 3);
	/* "..." ends it too; an empty one is none. */
	CHECK_STR(parse("---\na: 1\n...\nText\n"), "front @2:1 {a: 1}\npara @4:1\n  text \"Text\"\n");
	CHECK_STR(parse("---\n---\nText\n"), "para @3:1\n  text \"Text\"\n");
	CHECK(tpl && tpl->front == NULL);
	/* Front matter only, no body. */
	CHECK_STR(parse("---\na: 1\n---"), "front @2:1 {a: 1}\n");
	/* Only an exact first line opens it. */
	CHECK_STR(parse("--- \na: 1\n"), "rule @1:1\npara @2:1\n  text \"a: 1\"\n");
	CHECK_STR(parse("\n---\na: 1\n---\n"), "rule @2:1\nheading 2 @3:1\n  text \"a: 1\"\n");

	CHECK_STR(parse("---\ntitle: x\n\n# Body\n"), "");
	CHECK_INT(status, ER_ERR_DATA);
	CHECK_STR(diags(), "1:1: front matter is not closed: add a line with ---\n");
	CHECK_STR(last_file, "t.md");
	CHECK_STR(parse("---"), "");
	CHECK_STR(diags(), "1:1: front matter is not closed: add a line with ---\n");

	CHECK_STR(parse("---\n- a\n- b\n---\nText\n"), "");
	CHECK_STR(diags(), "2:1: front matter is not a YAML map: write \"key: value\" lines\n");
	CHECK_STR(parse("---\n\n  just text\n---\n"), "");
	CHECK_STR(diags(), "3:3: front matter is not a YAML map: write \"key: value\" lines\n");
	CHECK_STR(parse("---\na: 1\nb: [1, 2\n---\n"), "");
	CHECK_STR(diags(),
	          "4:1: YAML: did not find expected ',' or ']' while parsing a flow sequence\n");
	CHECK_STR(parse("---\na: 1\na: 2\n---\n"), "");
	CHECK_STR(diags(), "3:1: duplicate key \"a\" (first at line 2)\n");
	/* Errors in the body are still found after one in the front matter. */
	CHECK_STR(parse("---\n- a\n---\nx {{ y\n"), "");
	CHECK_STR(diags(), "2:1: front matter is not a YAML map: write \"key: value\" lines\n"
	                   "4:3: \"{{\" is not closed with \"}}\"\n");
}

static void test_set(void)
{
	static const er_set sets[] = {
		{"quarter", "2025-Q3"},           /* overrides */
		{"data.models", "other.csv"},     /* overrides inside a map */
		{"data.extra.path", "x.csv"},     /* adds maps */
		{"new", "'quoted'"},              /* added, taken as it is */
		{"quarter", "2025-Q4"},           /* the last one wins */
	};
	static const er_set bad[] = {{"title.x", "1"}, {"a..b", "1"}, {"ok", "1"}};
	static const er_set one[] = {{"a.b", ""}};
	er_ynode *v;

	CHECK_STR(parse_set("---\ntitle: T\nquarter: 2025-Q2\ndata:\n  models: m.csv\n---\n", sets, 5),
	          "front @2:1 {title: T, quarter: 2025-Q4, data: {models: other.csv, extra: {path: "
	          "x.csv}}, new: \"'quoted'\"}\n");
	CHECK_STR(diags(), "");
	if (tpl != NULL) {
		v = er_yaml_get(tpl->front, "quarter");
		CHECK(v && v->type == ER_Y_SCALAR && !v->quoted && v->line == 0 && v->column == 0);
		v = er_yaml_get(er_yaml_get(tpl->front, "data"), "extra");
		CHECK(v && v->type == ER_Y_MAP && v->line == 0);
		CHECK_INT(er_yaml_get(tpl->front, "title")->line, 2);
	}
	/* No front matter: one is made. */
	CHECK_STR(parse_set("Text\n", one, 1), "front @0:0 {a: {b: ~}}\npara @1:1\n  text \"Text\"\n");

	CHECK_STR(parse_set("---\ntitle: T\n---\n", bad, 3), "");
	CHECK_INT(status, ER_ERR_DATA);
	CHECK_STR(diags(), "0:0: --set title.x: \"title\" is not a map\n"
	                   "0:0: --set a..b: a part of the key is empty\n");
	CHECK_STR(last_file, "--set");
	CHECK_STR(parse_set("---\nd: {m: [1]}\n---\n", (const er_set[]){{"d.m.x", "1"}}, 1), "");
	CHECK_STR(diags(), "0:0: --set d.m.x: \"m\" is not a map\n");
}

static void test_yaml_blocks(void)
{
	/* A YAML error is reported at its line and column in the template. */
	CHECK_STR(parse("# Figures\n\n```chart\ntype: bar\ntitle: [a, b\nsource: x\n```\n"), "");
	CHECK_STR(diags(),
	          "6:7: YAML: did not find expected ',' or ']' while parsing a flow sequence\n");
	CHECK_STR(parse("```chart\ntype: bar\n  value: x\n```\n"), "");
	CHECK_STR(diags(), "3:8: YAML: mapping values are not allowed in this context\n");
	/* Inside containers the columns are the template's, not the block's. */
	CHECK_STR(parse("> ```table\n> data: m\n>   bad: 1\n> ```\n"), "");
	CHECK_STR(diags(), "3:8: YAML: mapping values are not allowed in this context\n");
	CHECK_STR(parse("- item\n\n  ```data\n  name: x\n  from: [y\n  ```\n"), "");
	CHECK_STR(diags(),
	          "6:3: YAML: did not find expected ',' or ']' while parsing a flow sequence\n");
	CHECK_STR(parse("> ```chart\n> type: bar\n> value: co2_t\n> ```\n"),
	          "quote @1:1\n  chart @1:3 {type: bar, value: co2_t}\n");
	if (tpl != NULL) {
		er_ynode *y = tpl->blocks[0]->children[0]->yaml;
		CHECK_INT(y->line, 2);
		CHECK_INT(y->column, 3);
		CHECK_INT(er_yaml_get(y, "value")->line, 3);
		CHECK_INT(er_yaml_get(y, "value")->column, 10);
	}
	/* Not a map. */
	CHECK_STR(parse("Text\n\n```chart\n- bar\n```\n"), "");
	CHECK_STR(diags(), "3:1: a ```chart block holds a YAML map of settings\n");
	CHECK_STR(parse("```data\n```\n"), "");
	CHECK_STR(diags(), "1:1: a ```data block holds a YAML map of settings\n");
	CHECK_STR(parse("   ```table\n   just words\n   ```\n"), "");
	CHECK_STR(diags(), "1:4: a ```table block holds a YAML map of settings\n");
	/* The first word of the info string decides; other blocks are code. */
	CHECK_STR(parse("``` chart  extra\na: 1\n```\n\n```charts\na: [\n```\n\n    indented\n"),
	          "chart @1:1 {a: 1}\n"
	          "code @5:1 \"a: [\\n\"\n"
	          "code @9:5 \"indented\\n\"\n");
}

static void test_expressions(void)
{
	/* Exact messages and positions. */
	CHECK_STR(parse("Total: {{ sum(co2_t) tonnes\n"), "");
	CHECK_INT(status, ER_ERR_DATA);
	CHECK_STR(diags(), "1:8: \"{{\" is not closed with \"}}\"\n");
	CHECK_STR(last_file, "t.md");
	CHECK_STR(parse("A {{ }} b {{}}\n"), "");
	CHECK_STR(diags(), "1:3: empty {{ }}\n1:11: empty {{ }}\n");
	/* Columns count characters, and follow the source where cmark's do not. */
	CHECK_STR(parse("Émissions — {{ x\n"), "");
	CHECK_STR(diags(), "1:13: \"{{\" is not closed with \"}}\"\n");
	CHECK_STR(parse("> quoted\nlazy {{ x\n"), "");
	CHECK_STR(diags(), "2:6: \"{{\" is not closed with \"}}\"\n");
	CHECK_STR(parse("Foo\n   bar {{ x\n"), "");
	CHECK_STR(diags(), "2:8: \"{{\" is not closed with \"}}\"\n");
	CHECK_STR(parse("- a\n  - b &amp; \\* {{ x\n"), "");
	CHECK_STR(diags(), "2:16: \"{{\" is not closed with \"}}\"\n");
	CHECK_STR(parse("x }} y {{\n"), "");
	CHECK_STR(diags(), "1:8: \"{{\" is not closed with \"}}\"\n");
	/* Formatting between {{ and }} is not part of an expression. */
	CHECK_STR(parse("A {{ a*b*c }}\n"), "");
	CHECK_STR(diags(), "1:3: Markdown formatting inside {{ }}: escape the *, _, ~ or ` there "
	                   "with a backslash\n");
	CHECK_STR(parse("A {{ a\\*b\\*c }} {{ x * y }}\n"),
	          "para @1:1\n"
	          "  text \"A \"\n"
	          "  expr \"a*b*c\" @1:3\n"
	          "  text \" \"\n"
	          "  expr \"x * y\" @1:17\n");

	/* In headings, list items, quotes, cells, styles and links; wrapped over lines. */
	CHECK_STR(parse("## Q {{ quarter }}\n\n"
	                "- {{a}}{{ b }}\n"
	                "- *it {{ c }}* and [link {{ d }}](http://e.org)\n\n"
	                "> {{ round(max(x),\n> 2) }} t\n\n"
	                "| h |\n|---|\n| x {{ e }} |\n"),
	          "heading 2 @1:1\n"
	          "  text \"Q \"\n"
	          "  expr \"quarter\" @1:6\n"
	          "list bullet @3:1\n"
	          "  item @3:1\n"
	          "    para @3:3\n"
	          "      expr \"a\" @3:3\n"
	          "      expr \"b\" @3:8\n"
	          "  item @4:1\n"
	          "    para @4:3\n"
	          "      text italic \"it \"\n"
	          "      expr italic \"c\" @4:7\n"
	          "      text \" and \"\n"
	          "      text \"link \" link \"http://e.org\"\n"
	          "      expr \"d\" link \"http://e.org\" @4:26\n"
	          "quote @6:1\n"
	          "  para @6:3\n"
	          "    expr \"round(max(x), 2)\" @6:3\n"
	          "    text \" t\"\n"
	          "pipe-table @9:1 align -\n"
	          "  header\n"
	          "    cell\n"
	          "      text \"h\"\n"
	          "  row\n"
	          "    cell\n"
	          "      text \"x \"\n"
	          "      expr \"e\" @11:5\n");
	CHECK_STR(diags(), "");
	if (tpl != NULL && tpl->nblocks == 4) {
		const er_inline *t = tpl->blocks[1]->children[1]->children[0]->inl;
		CHECK_INT(t[0].line, 4);
		CHECK_INT(t[0].column, 4);
		CHECK_INT(t[2].column, 15);
		CHECK_INT(t[3].column, 21);
		t = tpl->blocks[2]->children[0]->inl;
		CHECK_INT(t[1].line, 7);
		CHECK_INT(t[1].column, 8);
	}
}

static void test_lists(void)
{
	CHECK_STR(parse("- one\n  - nested *a*\n    1. deep\n- two\n\n3. three\n4. four\n"),
	          "list bullet @1:1\n"
	          "  item @1:1\n"
	          "    para @1:3\n"
	          "      text \"one\"\n"
	          "    list bullet @2:3\n"
	          "      item @2:3\n"
	          "        para @2:5\n"
	          "          text \"nested \"\n"
	          "          text italic \"a\"\n"
	          "        list ordered 1 @3:5\n"
	          "          item @3:5\n"
	          "            para @3:8\n"
	          "              text \"deep\"\n"
	          "  item @4:1\n"
	          "    para @4:3\n"
	          "      text \"two\"\n"
	          "list ordered 3 @6:1\n"
	          "  item @6:1\n"
	          "    para @6:4\n"
	          "      text \"three\"\n"
	          "  item @7:1\n"
	          "    para @7:4\n"
	          "      text \"four\"\n");
	if (tpl != NULL) {
		CHECK_INT(tpl->blocks[1]->ordered, 1);
		CHECK_INT(tpl->blocks[1]->start, 3);
		CHECK_INT(tpl->blocks[0]->children[0]->children[1]->kind, ER_BLK_LIST);
	}
}

static void test_pipe_table(void)
{
	CHECK_STR(parse("| Model | Params | CO2 (t) | Note |\n"
	                "|:------|:------:|--------:|------|\n"
	                "| GPT-3 | 175B | **502** | `x` |\n"
	                "| BLOOM \\| 2 | 176B |\n"),
	          "pipe-table @1:1 align l c r -\n"
	          "  header\n"
	          "    cell\n"
	          "      text \"Model\"\n"
	          "    cell\n"
	          "      text \"Params\"\n"
	          "    cell\n"
	          "      text \"CO2 (t)\"\n"
	          "    cell\n"
	          "      text \"Note\"\n"
	          "  row\n"
	          "    cell\n"
	          "      text \"GPT-3\"\n"
	          "    cell\n"
	          "      text \"175B\"\n"
	          "    cell\n"
	          "      text bold \"502\"\n"
	          "    cell\n"
	          "      code \"x\"\n"
	          "  row\n"
	          "    cell\n"
	          "      text \"BLOOM | 2\"\n"
	          "    cell\n"
	          "      text \"176B\"\n"
	          "    cell\n"
	          "    cell\n");
	if (tpl != NULL) {
		const er_block *b = tpl->blocks[0];
		CHECK_INT(b->rows, 3);
		CHECK_INT(b->cols, 4);
		CHECK_INT(b->align[0], 'l');
		CHECK_INT(b->align[1], 'c');
		CHECK_INT(b->align[2], 'r');
		CHECK_INT(b->align[3], 0);
		CHECK_INT(b->cells[2 * 4 + 1].inl[0].column, 16);
		CHECK_INT(b->cells[1 * 4 + 2].inl[0].column, 20);
		CHECK_INT(b->cells[2 * 4 + 3].ninl, 0);
	}
}

/* cmark-gfm 0.29 gives no position to paragraph lines a table cuts off, and
 * the table and its header those lines' start: both are put right. */
static void test_table_after_paragraph(void)
{
	CHECK_STR(parse("Lead\n\nfirst {{ x }}\nsecond\n| a | {{ b }} |\n|:-|-:|\n| 1 | {{ c }} |\n"),
	          "para @1:1\n"
	          "  text \"Lead\"\n"
	          "para @3:1\n"
	          "  text \"first \"\n"
	          "  expr \"x\" @3:7\n"
	          "  softbreak\n"
	          "  text \"second\"\n"
	          "pipe-table @5:1 align l r\n"
	          "  header\n"
	          "    cell\n"
	          "      text \"a\"\n"
	          "    cell\n"
	          "      expr \"b\" @5:7\n"
	          "  row\n"
	          "    cell\n"
	          "      text \"1\"\n"
	          "    cell\n"
	          "      expr \"c\" @7:7\n");
	if (tpl != NULL && tpl->nblocks == 3) {
		CHECK_INT(tpl->blocks[1]->inl[3].line, 4);
		CHECK_INT(tpl->blocks[1]->inl[3].column, 1);
		CHECK_INT(tpl->blocks[2]->cells[0].inl[0].line, 5);
		CHECK_INT(tpl->blocks[2]->cells[0].inl[0].column, 3);
	}
	/* Header only, in a quote. */
	CHECK_STR(parse("x\n> para one\n> more {{ y\n> | a | {{ b |\n> |---|---|\n"), "");
	CHECK_STR(diags(), "3:8: \"{{\" is not closed with \"}}\"\n"
	                   "4:9: \"{{\" is not closed with \"}}\"\n");
}

/* More of cmark-gfm 0.29's inline positions put right. */
static void test_cmark_positions(void)
{
	/* Link reference definitions before a paragraph's text. */
	CHECK_STR(parse("[a]: http://x\n\"title\"\nText {{ y\n"), "");
	CHECK_STR(diags(), "3:6: \"{{\" is not closed with \"}}\"\n");
	CHECK_STR(parse("[a]: http://x\nFoo {{ y }}\n===\n"),
	          "heading 1 @2:1\n  text \"Foo \"\n  expr \"y\" @2:5\n");
	/* After a code span over lines, and backticks that open none. */
	CHECK_STR(parse("a `b\nc` d {{ e\n"), "");
	CHECK_STR(diags(), "2:6: \"{{\" is not closed with \"}}\"\n");
	CHECK_STR(parse("x ```y\n  ``` z ```a `b` c {{ e\n"), "");
	CHECK_STR(diags(), "2:20: \"{{\" is not closed with \"}}\"\n");
	/* A link destination over two lines: nothing shows the line end. */
	CHECK_STR(parse("[a](http://x\n \"t\") b {{ c\n"), "");
	CHECK_STR(diags(), "2:9: \"{{\" is not closed with \"}}\"\n");
	/* Empty texts beside email autolinks, and a code span over five lines. */
	CHECK_STR(parse("- a@b.org x\n  c@d.org {{ y\n"), "");
	CHECK_STR(diags(), "2:11: \"{{\" is not closed with \"}}\"\n");
	CHECK_STR(parse("x ``a\nb\nc\nd\ne`` f {{ g\n"), "");
	CHECK_STR(diags(), "5:7: \"{{\" is not closed with \"}}\"\n");
	/* cmark's columns on a lazy line in a quote; a mark that is also text later on. */
	CHECK_STR(parse("> > a\n -~->- {{ y\n"), "");
	CHECK_STR(diags(), "2:8: \"{{\" is not closed with \"}}\"\n");
	/* A table header after paragraph lines, in a quote, starting with ">". */
	CHECK_STR(parse("> p\n> | \\> {{ h | b |\n> |---|---|\n"), "");
	CHECK_STR(diags(), "2:8: \"{{\" is not closed with \"}}\"\n");
	/* Entities and escapes between. */
	CHECK_STR(parse("&copy; &#169; \\{ &nosuch; {{ e\n"), "");
	CHECK_STR(diags(), "1:27: \"{{\" is not closed with \"}}\"\n");
}

static void test_footnotes(void)
{
	/* Numbered in order of first reference; unused definitions dropped. */
	CHECK_STR(parse("GPT-3[^gpt] and BLOOM[^bloom], GPT-3 again[^gpt]; none[^none].\n\n"
	                "[^bloom]: Luccioni et al., 2022.\n"
	                "[^unused]: Never cited.\n"
	                "[^gpt]: Patterson et al., 2021,\n"
	                "    with *PUE*.\n"),
	          "para @1:1\n"
	          "  text \"GPT-3\"\n"
	          "  footref 1\n"
	          "  text \" and BLOOM\"\n"
	          "  footref 2\n"
	          "  text \", GPT-3 again\"\n"
	          "  footref 1\n"
	          "  text \"; none[^none].\"\n"
	          "footnote 1 @5:1\n"
	          "  para @5:9\n"
	          "    text \"Patterson et al., 2021,\"\n"
	          "    softbreak\n"
	          "    text \"with \"\n"
	          "    text italic \"PUE\"\n"
	          "    text \".\"\n"
	          "footnote 2 @3:1\n"
	          "  para @3:11\n"
	          "    text \"Luccioni et al., 2022.\"\n");
	if (tpl != NULL && tpl->nfootnotes == 2) {
		CHECK_INT(tpl->nblocks, 1);
		CHECK_INT(tpl->footnotes[0]->number, 1);
		CHECK_INT(tpl->footnotes[1]->number, 2);
		CHECK_INT(tpl->blocks[0]->inl[1].kind, ER_INL_FOOTREF);
		CHECK_INT(tpl->blocks[0]->inl[1].column, 6);
		CHECK_INT(tpl->footnotes[0]->children[0]->inl[2].line, 6);
		CHECK_INT(tpl->footnotes[0]->children[0]->inl[2].column, 5);
	}
}

static void test_styles(void)
{
	CHECK_STR(parse("*it* **bold** ~~gone~~ ***both*** **~~x *y*~~** `co de` "
	                "[link *it*](https://example.org) <https://a.org> www.b.org "
	                "![alt *text*](i.png) <b>html</b>  \nhard\nsoft\n"),
	          "para @1:1\n"
	          "  text italic \"it\"\n"
	          "  text \" \"\n"
	          "  text bold \"bold\"\n"
	          "  text \" \"\n"
	          "  text strike \"gone\"\n"
	          "  text \" \"\n"
	          "  text bold italic \"both\"\n"
	          "  text \" \"\n"
	          "  text bold strike \"x \"\n"
	          "  text bold italic strike \"y\"\n"
	          "  text \" \"\n"
	          "  code \"co de\"\n"
	          "  text \" \"\n"
	          "  text \"link \" link \"https://example.org\"\n"
	          "  text italic \"it\" link \"https://example.org\"\n"
	          "  text \" \"\n"
	          "  text \"https://a.org\" link \"https://a.org\"\n"
	          "  text \" \"\n"
	          "  text \"www.b.org\" link \"http://www.b.org\"\n"
	          "  text \" alt \"\n"
	          "  text italic \"text\"\n"
	          "  text \" <b>html</b>\"\n"
	          "  linebreak\n"
	          "  text \"hard\"\n"
	          "  softbreak\n"
	          "  text \"soft\"\n");
	if (tpl != NULL && tpl->blocks[0]->ninl == 26) {
		const er_inline *t = tpl->blocks[0]->inl;
		CHECK_INT(t[2].column, 8);   /* bold: the text inside ** */
		CHECK_INT(t[4].column, 17);
		CHECK_INT(t[11].column, 49); /* code: the backtick */
		CHECK_INT(t[23].line, 2);
		CHECK_INT(t[23].column, 1);
		CHECK_INT(t[24].kind, ER_INL_SOFTBREAK);
		CHECK_INT(t[24].column, 5);
		CHECK_INT(t[25].line, 3);
		CHECK_INT(t[25].column, 1);
	}
	/* HTML blocks are kept as text. */
	CHECK_STR(parse("<div>\n{{ not an expression }}\n</div>\n\nText\n"),
	          "para @1:1\n"
	          "  text \"<div>\\n{{ not an expression }}\\n</div>\"\n"
	          "para @5:1\n"
	          "  text \"Text\"\n");
	CHECK_STR(parse("Setext {{ x }}\n===\n\n***\n\n> # In a quote\n"),
	          "heading 1 @1:1\n"
	          "  text \"Setext \"\n"
	          "  expr \"x\" @1:8\n"
	          "rule @4:1\n"
	          "quote @6:1\n"
	          "  heading 1 @6:3\n"
	          "    text \"In a quote\"\n");
}

static void test_encodings(void)
{
	char *crlf;
	size_t i, n = 0;
	const char *lf;

	/* A BOM is dropped: positions are as an editor shows them. */
	CHECK_STR(parse("\xEF\xBB\xBF---\ntitle: T\n---\n# T {{ x }}\n"),
	          "front @2:1 {title: T}\nheading 1 @4:1\n  text \"T \"\n  expr \"x\" @4:5\n");
	CHECK_STR(parse("\xEF\xBB\xBF" "A {{ x\n"), "");
	CHECK_STR(diags(), "1:3: \"{{\" is not closed with \"}}\"\n");

	/* CRLF line ends: the same model. */
	crlf = malloc(2 * sizeof example);
	if (crlf == NULL)
		return;
	for (i = 0; example[i]; i++) {
		if (example[i] == '\n')
			crlf[n++] = '\r';
		crlf[n++] = example[i];
	}
	CHECK_STR(parse_n(crlf, n, NULL, 0), example_dump);
	CHECK_STR(parse("---\r\na: 1\r\n---\r\n```code\r\nx\r\ny\r\n```\r\n\r\nA {{ b }}\r\n"),
	          "front @2:1 {a: 1}\ncode @4:1 \"x\\ny\\n\"\npara @9:1\n  text \"A \"\n"
	          "  expr \"b\" @9:3\n");
	CHECK_STR(parse("```chart\r\ntype: bar\r\n  x: 1\r\n```\r\n"), "");
	CHECK_STR(diags(), "3:4: YAML: mapping values are not allowed in this context\n");
	free(crlf);

	/* Nothing at all. */
	lf = parse("");
	CHECK_STR(lf, "");
	CHECK_INT(status, ER_OK);
	CHECK(tpl && tpl->nblocks == 0 && tpl->front == NULL && tpl->nfootnotes == 0);
	CHECK_STR(parse_n(NULL, 0, NULL, 0), "");
	CHECK_INT(status, ER_OK);
	CHECK_STR(parse("\xEF\xBB\xBF"), "");
	CHECK_INT(status, ER_OK);
	CHECK_STR(parse("\n\n  \n"), "");
	CHECK_INT(status, ER_OK);

	/* Not UTF-8, or not text. */
	CHECK_STR(parse("# Title\nCO\xE2\x82 and more\n"), "");
	CHECK_STR(diags(), "2:3: invalid UTF-8 (byte 0xE2): save the template as UTF-8\n");
	CHECK_STR(parse_n("ab\n\xC3\xA9x\0y", 7, NULL, 0), "");
	CHECK_STR(diags(), "2:3: a NUL byte: a template is text\n");
}

static void test_limits(void)
{
	char deep[400];
	size_t i;

	for (i = 0; i < 150; i++)
		deep[i] = '>';
	strcpy(deep + 150, " x\n");
	CHECK_STR(parse(deep), "");
	CHECK_INT(status, ER_ERR_LIMIT);
	CHECK_STR(diags(), "1:101: Markdown nested too deeply (more than 100 levels)\n");
	for (i = 0; i < 99; i++)
		deep[i] = '>';
	strcpy(deep + 99, " x\n");
	parse(deep);
	CHECK_INT(status, ER_OK);
	er_template_free(NULL);
}

/* Runs of text without a blank line are capped at 64 KiB: 3,276 lines of
 * 20 bytes (65,520) pass, one more is refused where the run starts; a blank
 * line (spaces and tabs count as blank) starts a new run. */
static void test_long_runs(void)
{
	er_buf b = {0};
	size_t i;

	CHECK_INT(er_buf_puts(&b, "# T\n\n"), ER_OK);
	for (i = 0; i < 3276; i++)
		CHECK_INT(er_buf_puts(&b, "a *b* c `d` [e](f).\n"), ER_OK);
	parse_n(b.data, b.len, NULL, 0);
	CHECK_INT(status, ER_OK);
	CHECK_INT(er_buf_puts(&b, "and one line more to go over\n"), ER_OK);
	CHECK_STR(parse_n(b.data, b.len, NULL, 0), "");
	CHECK_INT(status, ER_ERR_LIMIT);
	CHECK_STR(diags(), "3:1: more than 65536 bytes of text without a blank line, from here to line "
	                   "3279: put blank lines between paragraphs\n");
	b.len = 0;
	for (i = 0; i < 4000; i++)
		CHECK_INT(er_buf_puts(&b, i % 2000 == 1999 ? " \t\n" : "a *b* c `d` [e](f).\n"), ER_OK);
	parse_n(b.data, b.len, NULL, 0);
	CHECK_INT(status, ER_OK);
	er_buf_free(&b);
}

int main(void)
{
	test_example();
	test_front_matter();
	test_set();
	test_yaml_blocks();
	test_expressions();
	test_lists();
	test_pipe_table();
	test_table_after_paragraph();
	test_cmark_positions();
	test_footnotes();
	test_styles();
	test_encodings();
	test_limits();
	test_long_runs();
	er_template_free(tpl);
	free(dump);
	er_buf_free(&diag_text);
	return test_done("test_template");
}
