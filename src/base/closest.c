/* closest.c - vanban base: "did you mean": the nearest of a list of names to a
 * misspelt one, by Levenshtein distance over lower-cased code points. */
#include "base.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* Code points of s, lower-cased so "Upper" is near "upper"; caller frees. */
static uint32_t *decode_lower(const char *s, size_t *n) {
  const char *end = s + strlen(s);
  uint32_t *cps = vb_xmalloc((vb_utf8_count(s, (size_t)(end - s)) + 1) * sizeof *cps);
  *n = 0;
  while (s < end)
    cps[(*n)++] = (uint32_t)g_unichar_tolower((gunichar)vb_utf8_next(&s, end));
  return cps;
}

/* Levenshtein distance over code points with two rows (`row` has nb + 1 slots). */
static size_t edit_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                            size_t *row) {
  for (size_t j = 0; j <= nb; j++)
    row[j] = j;
  for (size_t i = 1; i <= na; i++) {
    size_t diag = row[0]; /* row[i-1][j-1] */
    row[0] = i;
    for (size_t j = 1; j <= nb; j++) {
      size_t up = row[j]; /* row[i-1][j] */
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best)
        best = up + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      diag = up;
      row[j] = best;
    }
  }
  return row[nb];
}

const char *vb_closest(const char *word, const char *const *candidates) {
  size_t nw, limit, best_d = (size_t)-1;
  const char *best = NULL;
  uint32_t *w;
  if (!word || !*word || !candidates)
    return NULL;
  w = decode_lower(word, &nw);
  limit = nw / 3 > 2 ? nw / 3 : 2;
  for (size_t i = 0; candidates[i]; i++) {
    size_t nc, d;
    uint32_t *c = decode_lower(candidates[i], &nc);
    /* The length difference is a lower bound on the distance. */
    if ((nc > nw ? nc - nw : nw - nc) <= limit) {
      size_t *row = vb_xmalloc((nc + 1) * sizeof *row);
      d = edit_distance(w, nw, c, nc, row);
      free(row);
      if (d <= limit && d < best_d) { /* strict: the first of equals wins */
        best_d = d;
        best = candidates[i];
      }
    }
    free(c);
  }
  free(w);
  return best;
}
