/* test-records.c - unit tests of the records stage: validation messages,
 * computed values (display name, honorific, dates, signer, authority) and CSV
 * recipient lists with Vietnamese, unaccented and field-name headers. */
#include "../../src/records/records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static char dir[] = "/tmp/vb-test-records-XXXXXX";

static void write_file(const char *name, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  fputs(text, f);
  fclose(f);
}

typedef struct loaded {
  vb_sources *sources;
  vb_diag *diag;
  vb_records *recs;
  char *messages;
  size_t msize;
  FILE *mem;
  vb_records_opts opts;
} loaded;

static void load(loaded *l, const char *name, const char *org) {
  char path[256], orgpath[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  memset(l, 0, sizeof *l);
  l->sources = vb_sources_new();
  l->mem = open_memstream(&l->messages, &l->msize);
  l->diag = vb_diag_new(l->sources, l->mem);
  l->opts.doc = VB_DOC_CERTIFICATES;
  l->opts.encoding = VB_ENC_AUTO;
  if (org) {
    snprintf(orgpath, sizeof orgpath, "%s/%s", dir, org);
    l->opts.org_file = strdup(orgpath);
  }
  l->recs = vb_records_load(l->sources, path, &l->opts, l->diag);
}

static const char *messages(loaded *l) {
  fflush(l->mem);
  return l->messages ? l->messages : "";
}

static void unload(loaded *l) {
  vb_records_free(l->recs);
  vb_diag_free(l->diag);
  fclose(l->mem);
  free(l->messages);
  free((char *)l->opts.org_file);
  vb_sources_free(l->sources);
}

static const char *get(const vb_scope *s, const char *path) {
  const vb_value *v = vb_scope_lookup(s, path);
  return v && v->kind == VB_VALUE_STRING ? v->str : NULL;
}

static const char *org_state =
    "organization:\n"
    "  name: Ủy ban nhân dân phường Mai Dịch\n"
    "  kind: state\n"
    "  place: Mai Dịch\n"
    "  signer: {name: Phạm Văn Lợi, position: Chủ tịch}\n";

static void test_records_computed(void) {
  char yaml[2048];
  snprintf(yaml, sizeof yaml,
           "%s"
           "events:\n"
           "  - id: 2024-04-25-phat-dong\n"
           "    title: Hội nghị phát động thi đua\n"
           "    starts: 2024-04-25T08:00+07:00\n"
           "    awards:\n"
           "      - title: Thành tích xuất sắc\n"
           "        reason: đã có thành tích xuất sắc\n"
           "        decision: {number: 45/QĐ-UBND, date: 22/04/2024}\n"
           "        recipients:\n"
           "          - {name: Nguyễn Văn Thịnh, gender: Nam, position: Tổ trưởng, unit: Tổ dân phố số 8}\n"
           "          - {collective: Trường Tiểu học Mai Dịch, reason: đã dẫn đầu phong trào}\n"
           "          - {name: Trần Thị Hải Yến, gender: F, decision: {number: 46/QĐ-UBND}}\n"
           "      - form: huy hiệu\n"
           "        title: Huy hiệu 30 năm tuổi Đảng\n"
           "        recipients: [{name: Lê Văn Ba}]\n",
           org_state);
  write_file("computed.yaml", yaml);
  loaded l;
  load(&l, "computed.yaml", NULL);
  check(l.recs != NULL);
  if (!l.recs) return;
  check_int(vb_records_count(l.recs), 3); /* the badge gets no certificate */
  const vb_scope *s = vb_records_get(l.recs, 0);
  check(!s->failed);
  check_str(get(s, "recipient.display_name"), "Nguyễn Văn Thịnh");
  check_str(get(s, "recipient.honorific"), "Ông");
  check_str(get(s, "recipient.details"), "Tổ trưởng, Tổ dân phố số 8");
  check_str(get(s, "recipient.reason"), "đã có thành tích xuất sắc");
  check_str(get(s, "award.date"), "22/04/2024"); /* from the decision */
  check_str(get(s, "decision.number"), "45/QĐ-UBND");
  check_str(get(s, "signer.name"), "Phạm Văn Lợi");
  check_str(get(s, "org.award_authority"), "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG MAI DỊCH");
  check_str(s->slug, "nguyen-van-thinh");
  check_str(s->id, "2024-04-25-phat-dong");
  s = vb_records_get(l.recs, 1);
  check_str(get(s, "recipient.display_name"), "Trường Tiểu học Mai Dịch");
  check(get(s, "recipient.honorific") == NULL);
  check_str(get(s, "recipient.is_collective"), "1");
  check_str(get(s, "recipient.reason"), "đã dẫn đầu phong trào");
  s = vb_records_get(l.recs, 2);
  check_str(get(s, "recipient.honorific"), "Bà");
  check_str(get(s, "decision.number"), "46/QĐ-UBND"); /* the recipient's own */
  check_str(get(s, "decision.date"), "22/04/2024");   /* the award's */
  check_int(vb_records_failed(l.recs), 0);
  check_str(messages(&l), "");
  unload(&l);
}

static void test_records_party_authority(void) {
  write_file("party.yaml",
             "organization:\n"
             "  name: Đảng ủy Phường 11\n"
             "  kind: party\n"
             "  place: Phường 11\n"
             "  signer: {name: Bùi Thị Nhẫn, position: Bí thư, authority: T/M ĐẢNG ỦY}\n"
             "events:\n"
             "  - id: e1\n"
             "    title: Họp mặt\n"
             "    starts: 2024-11-05\n"
             "    awards:\n"
             "      - date: 2024-11-05\n"
             "        recipients: [{name: Nguyễn Văn A, gender: nam}]\n");
  loaded l;
  load(&l, "party.yaml", NULL);
  check(l.recs && vb_records_count(l.recs) == 1);
  if (l.recs && vb_records_count(l.recs) == 1) {
    const vb_scope *s = vb_records_get(l.recs, 0);
    check_str(get(s, "org.award_authority"), "BAN CHẤP HÀNH ĐẢNG BỘ PHƯỜNG 11");
    check_str(s->kind, "party");
    check_str(get(s, "award.date"), "2024-11-05");
  }
  unload(&l);
}

static void test_records_chi_bo(void) {
  write_file("chibo.yaml", "organization: {name: Chi bộ Khu phố 3, kind: party, place: Phường 11,\n"
                           "  signer: {name: Lê Văn Tư, position: Bí thư, authority: T/M CHI BỘ}}\n"
                           "events:\n"
                           "  - {id: e, title: T, starts: 2024-11-05,\n"
                           "     awards: [{date: 2024-11-05, recipients: [{name: A}]}]}\n");
  loaded l;
  load(&l, "chibo.yaml", NULL);
  check(l.recs && vb_records_count(l.recs) == 1);
  if (l.recs && vb_records_count(l.recs) == 1)
    check_str(get(vb_records_get(l.recs, 0), "org.award_authority"), "CHI BỘ KHU PHỐ 3");
  unload(&l);
}

static void test_records_errors(void) {
  char yaml[2048];
  snprintf(yaml, sizeof yaml,
           "%s"
           "events:\n"
           "  - id: e1\n"
           "    title: T\n"
           "    starts: 2024-04-25\n"
           "    awards:\n"
           "      - date: 2024-02-30\n"
           "        recipients: [{name: A, gender: nam}]\n"
           "      - date: 2024-02-29\n"
           "        recipients:\n"
           "          - {name: B, gender: khác}\n"
           "          - {name: C, positon: x}\n"
           "          - {gender: nam}\n"
           "          - {name: D, collective: E}\n"
           "          - {name: F}\n",
           org_state);
  write_file("errors.yaml", yaml);
  loaded l;
  load(&l, "errors.yaml", NULL);
  check(l.recs != NULL);
  if (!l.recs) return;
  check_int(vb_records_count(l.recs), 6);
  size_t bad = 0;
  for (size_t i = 0; i < vb_records_count(l.recs); i++) bad += vb_records_get(l.recs, i)->failed;
  check_int(bad, 5); /* only F is good */
  check_int(vb_records_failed(l.recs), 5);
  const char *m = messages(&l);
  check(strstr(m, "errors.yaml:11:15: error: '2024-02-30' is not a date") != NULL);
  check(strstr(m, "'khác' is not a gender") != NULL);
  check(strstr(m, "unknown field 'positon' in recipient (did you mean 'position'?)") != NULL);
  check(strstr(m, "recipient has neither a name nor a collective") != NULL);
  check(strstr(m, "recipient has both a name and a collective") != NULL);
  unload(&l);

  write_file("noorg.yaml", "organization:\n  kind: club\n  place: X\nevents: []\n");
  load(&l, "noorg.yaml", NULL);
  m = messages(&l);
  check(strstr(m, "noorg.yaml:2:9: error: 'club' is not an organization kind") != NULL);
  check(strstr(m, "missing required field 'name' in organization") != NULL);
  check(vb_records_failed(l.recs) > 0);
  unload(&l);

  write_file("notmap.yaml", "- a\n- b\n");
  load(&l, "notmap.yaml", NULL);
  check(l.recs == NULL);
  check(strstr(messages(&l), "a record file must be a map") != NULL);
  unload(&l);
}

static void test_records_csv(void) {
  char yaml[1024];
  snprintf(yaml, sizeof yaml,
           "%s"
           "events:\n"
           "  - id: e1\n"
           "    title: T\n"
           "    starts: 2024-04-25\n"
           "    awards:\n"
           "      - reason: đã có thành tích\n"
           "        decision: {number: 45/QĐ-UBND, date: 2024-04-22}\n",
           org_state);
  write_file("org.yaml", yaml);
  /* Vietnamese headers with a BOM, an extra column, a collective row */
  write_file("vi.csv", "\xEF\xBB\xBFHọ và tên,Giới tính,Chức vụ,Ghi chú,Tập thể,Số sổ vàng,Khen lần\r\n"
                       "Nguyễn Văn Đức,nam,Tổ trưởng,x,,12,2\r\n"
                       ",,,,Chi bộ Khu phố 7,,\r\n");
  loaded l;
  load(&l, "vi.csv", "org.yaml");
  check(l.recs != NULL);
  if (l.recs) {
    check_int(vb_records_count(l.recs), 2);
    const vb_scope *s = vb_records_get(l.recs, 0);
    check_str(get(s, "recipient.display_name"), "Nguyễn Văn Đức");
    check_str(get(s, "recipient.book_no"), "12");
    check_str(get(s, "recipient.reason"), "đã có thành tích");
    check_str(get(s, "award.date"), "2024-04-22");
    s = vb_records_get(l.recs, 1);
    check_str(get(s, "recipient.display_name"), "Chi bộ Khu phố 7");
    check(strstr(messages(&l), "warning: unknown column 'Khen lần'") != NULL);
    check(strstr(messages(&l), "'Ghi chú'") == NULL); /* quietly ignored */
  }
  unload(&l);
  /* unaccented and field-name headers, semicolons, per-row decisions */
  write_file("ascii.csv", "ho_ten;gioi_tinh;so_quyet_dinh;ngay_quyet_dinh;reason\n"
                          "Lê Thị Hoa;nữ;50/QĐ-UBND;01/05/2024;đã giúp dân\n");
  load(&l, "ascii.csv", "org.yaml");
  check(l.recs && vb_records_count(l.recs) == 1);
  if (l.recs && vb_records_count(l.recs) == 1) {
    const vb_scope *s = vb_records_get(l.recs, 0);
    check_str(get(s, "recipient.honorific"), "Bà");
    check_str(get(s, "decision.number"), "50/QĐ-UBND");
    check_str(get(s, "award.date"), "01/05/2024"); /* no award date: the row's decision's */
    check_str(get(s, "decision.date"), "01/05/2024");
    check_str(get(s, "recipient.reason"), "đã giúp dân");
  }
  unload(&l);
  /* no name column */
  write_file("noname.csv", "Chức vụ,Đơn vị\nA,B\n");
  load(&l, "noname.csv", "org.yaml");
  check(l.recs == NULL);
  check(strstr(messages(&l), "has no 'Họ và tên' (ho_ten) or 'Tập thể' (tap_the) column") != NULL);
  unload(&l);
}

int main(void) {
  if (!mkdtemp(dir)) return 2;
  test_records_computed();
  test_records_party_authority();
  test_records_chi_bo();
  test_records_errors();
  test_records_csv();
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) return 2;
  return summary("test-records");
}
