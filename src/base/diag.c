/* diag.c - base stage: the diagnostics sink. Formats GNU-style messages
 * ("file:line:col: error: msg" plus the source line and a caret), counts errors,
 * and honours quiet mode. */
#include "base.h"

#include <stdlib.h>
#include <string.h>

#define DIAG_LONG_LINE 200 /* bytes; longer lines are shown as an excerpt */
#define DIAG_BEFORE 60     /* code points shown before the column in an excerpt */
#define DIAG_WIDTH 160     /* code points shown in an excerpt */

typedef enum { LEVEL_ERROR, LEVEL_WARNING, LEVEL_NOTE } level;

struct vb_diag {
  const vb_sources *sources;
  FILE *out;
  bool quiet;
  unsigned errors;
};

vb_diag *vb_diag_new(const vb_sources *sources, FILE *out) {
  vb_diag *d = vb_xcalloc(1, sizeof *d);
  d->sources = sources;
  d->out = out;
  return d;
}

void vb_diag_free(vb_diag *d) { free(d); }

void vb_diag_set_quiet(vb_diag *d, bool quiet) { d->quiet = quiet; }

unsigned vb_diag_error_count(const vb_diag *d) { return d ? d->errors : 0; }

static const char *skip_cps(const char *p, const char *end, size_t n) {
  while (n-- > 0 && p < end)
    vb_utf8_next(&p, end);
  return p;
}

/* Appends the source line holding span.start and a caret line under the span. */
static void add_caret(vb_strbuf *sb, const vb_sources *sources, vb_span span) {
  size_t len;
  const char *text = vb_sources_text(sources, span.src, &len);
  unsigned line, col;
  vb_sources_locate(sources, span.src, span.start, &line, &col);
  size_t ls = vb_sources_offset(sources, span.src, line, 1);
  const char *lp = text + ls, *le = lp;
  while (le < text + len && *le != '\n' && *le != '\r')
    le++;
  const char *start = skip_cps(lp, le, col - 1);
  const char *end = span.end > span.start ? text + (span.end < len ? span.end : len) : start;

  const char *begin = lp, *stop = le;
  bool cut_left = false, cut_right = false;
  if (le - lp > DIAG_LONG_LINE) {
    if (col - 1 > DIAG_BEFORE)
      begin = skip_cps(lp, le, col - 1 - DIAG_BEFORE);
    stop = skip_cps(begin, le, DIAG_WIDTH);
    if (stop < start)
      stop = start;
    cut_left = begin > lp;
    cut_right = stop < le;
  }
  vb_strbuf_puts(sb, "    ");
  if (cut_left)
    vb_strbuf_puts(sb, "...");
  vb_utf8_escape_controls(sb, begin, (size_t)(stop - begin), true);
  if (cut_right)
    vb_strbuf_puts(sb, "...");
  vb_strbuf_puts(sb, "\n    ");
  if (cut_left)
    vb_strbuf_puts(sb, "   ");
  for (const char *p = begin; p < start;) {
    char c0 = *p;
    unsigned w = vb_utf8_escaped_width(vb_utf8_next(&p, start), true);
    while (w-- > 0)
      vb_strbuf_putc(sb, c0 == '\t' ? '\t' : ' ');
  }
  if (end > stop)
    end = stop;
  /* the caret under the first column of the span, tildes under the rest of it */
  unsigned w = 1;
  if (start < end) {
    const char *p = start;
    w = vb_utf8_escaped_width(vb_utf8_next(&p, end), true);
    while (p < end)
      w += vb_utf8_escaped_width(vb_utf8_next(&p, end), true);
  }
  vb_strbuf_putc(sb, '^');
  while (w-- > 1)
    vb_strbuf_putc(sb, '~');
  vb_strbuf_putc(sb, '\n');
}

static void emit(vb_diag *d, level lv, vb_span span, const char *fmt, va_list ap) {
  static const char *const names[] = {"error", "warning", "note"};
  if (d && lv == LEVEL_ERROR)
    d->errors++;
  if (d && d->quiet && lv != LEVEL_ERROR)
    return;
  const vb_sources *sources = d ? d->sources : NULL;
  FILE *out = d && d->out ? d->out : stderr;
  bool located = vb_span_is_set(span) && vb_sources_name(sources, span.src) != NULL;
  vb_strbuf sb = VB_STRBUF_INIT;
  if (located)
    vb_sources_where(sources, span, &sb);
  else
    vb_strbuf_puts(&sb, "vanban");
  vb_strbuf_printf(&sb, ": %s: ", names[lv]);
  /* names and values quoted in the message come from records: made harmless */
  vb_strbuf msg = VB_STRBUF_INIT;
  vb_strbuf_vprintf(&msg, fmt, ap);
  /* a library's message (librsvg's, libxml2's) may end in a line break: not shown
   * as \x0a */
  size_t len = msg.len;
  while (len > 0 && (msg.data[len - 1] == '\n' || msg.data[len - 1] == '\r'))
    len--;
  vb_utf8_escape_controls(&sb, msg.data ? msg.data : "", len, false);
  vb_strbuf_free(&msg);
  vb_strbuf_putc(&sb, '\n');
  if (located && lv != LEVEL_NOTE)
    add_caret(&sb, sources, span);
  fwrite(sb.data, 1, sb.len, out);
  fflush(out);
  vb_strbuf_free(&sb);
}

void vb_diag_verror(vb_diag *d, vb_span span, const char *fmt, va_list ap) {
  emit(d, LEVEL_ERROR, span, fmt, ap);
}

void vb_diag_error(vb_diag *d, vb_span span, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  emit(d, LEVEL_ERROR, span, fmt, ap);
  va_end(ap);
}

void vb_diag_warn(vb_diag *d, vb_span span, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  emit(d, LEVEL_WARNING, span, fmt, ap);
  va_end(ap);
}

void vb_diag_note(vb_diag *d, vb_span span, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  emit(d, LEVEL_NOTE, span, fmt, ap);
  va_end(ap);
}
