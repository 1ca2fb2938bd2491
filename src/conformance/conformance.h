/* conformance.h - vanban conformance stage: checks a document's display list (the
 * pages a layout made, with the role and span it put on each operation) against
 * the rules of /work/shared/spec/vn-formal-rules.md §6 (NĐ 30/2020, HD 36, the
 * certificate and bulletin practice). Reads pages only: no records, no layouts. */
#ifndef VB_CONFORMANCE_CONFORMANCE_H
#define VB_CONFORMANCE_CONFORMANCE_H

#include "../base/base.h"
#include "../display/display.h"

/* ---- types */

/** One rule of a rule set, as `vanban check --conformance` prints it. */
typedef struct vb_rule_info {
  const char *id;       /* "nd30.margin.left" */
  const char *sentence; /* one sentence, what the page must do */
  const char *section;  /* "§1.1, §6.1": where vn-formal-rules.md says it */
} vb_rule_info;

/** The outcome of one rule over every document given to a checker. */
typedef struct vb_rule_result {
  const vb_rule_info *rule;
  unsigned failures; /* places that broke it (0: pass) */
  const char *where; /* the first failure: "event 'x' page 2, issuer \"…\": measured vs
                        allowed"; NULL when it passed */
} vb_rule_result;

/** A checker of one rule set: fed documents one by one, read at the end. */
typedef struct vb_checker vb_checker;

/* ---- rule sets */

/** Whether `ruleset` names a rule set ("nd30-minutes", "hd36-minutes",
 *  "certificate", "certificate-party", "certificate-overlay", "bulletin"). */
bool vb_conformance_known(const char *ruleset);
/** The rule sets' names, NULL-terminated (static). */
const char *const *vb_conformance_rulesets(void);
/** Number of rules of `ruleset` (0 for an unknown name). */
size_t vb_conformance_count(const char *ruleset);
/** Rule `i` of `ruleset`, in the order they are checked and printed; NULL past
 *  the end or for an unknown name. Static storage. */
const vb_rule_info *vb_conformance_rule(const char *ruleset, size_t i);

/* ---- checker */

/** A checker for `ruleset` (must be known). `res` (borrowed, must outlive the
 *  checker) resolves the fonts the pages name; font files are read once each
 *  (weight, slant, family, ascender). Caller frees with vb_checker_free. */
vb_checker *vb_checker_new(const char *ruleset, const vb_resources *res);
void vb_checker_free(vb_checker *ck);
/** Runs every rule on one document's pages (borrowed for the call only).
 *  `label` names it in failures ("event '2024-11-05-hop-mat'"; copied). Rules
 *  that compare documents (the fixed lines of a certificate batch) keep what
 *  they need from one call to the next. */
void vb_checker_add(vb_checker *ck, vb_dlist *const *pages, size_t npages, const char *label);
/** Documents and pages checked so far. */
unsigned vb_checker_documents(const vb_checker *ck);
unsigned vb_checker_pages(const vb_checker *ck);
/** The result of rule `i` (0 ≤ i < count), valid while the checker lives. */
size_t vb_checker_count(const vb_checker *ck);
const vb_rule_result *vb_checker_result(const vb_checker *ck, size_t i);
/** Number of rules that failed. */
size_t vb_checker_failed(const vb_checker *ck);

#endif
