/* fuzz-decode.c - libFuzzer target for the input stage's decoders: the first
 * byte picks an --encoding (auto, utf-8 and each legacy one), the rest is a
 * record file's bytes → vb_input_load_bytes. Whatever comes in, a registered
 * source must be valid UTF-8 in NFC with no NUL. */
#include "../../src/input/input.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const names[] = {"auto",  "utf-8", "cp1258", "tcvn3",
                                      "tcvn3-caps", "vni", "viqr"};
  if (size < 1)
    return 0;
  vb_encoding enc;
  if (vb_encoding_from_name(names[data[0] % (sizeof names / sizeof names[0])], &enc) != 0)
    enc = VB_ENC_AUTO; /* an encoding this build does not have yet */
  FILE *null = fopen("/dev/null", "w");
  if (!null)
    return 0;
  vb_sources *sources = vb_sources_new();
  vb_diag *d = vb_diag_new(sources, null);
  uint32_t src =
      vb_input_load_bytes(sources, "fuzz.csv", (const char *)data + 1, size - 1, enc, d);
  if (src) {
    size_t len = 0;
    const char *text = vb_sources_text(sources, src, &len);
    if (!text || !vb_utf8_valid(text, len, NULL) || memchr(text, 0, len))
      __builtin_trap();
    char *nfc = g_utf8_normalize(text, (gssize)len, G_NORMALIZE_NFC);
    if (!nfc || strlen(nfc) != len || memcmp(nfc, text, len) != 0)
      __builtin_trap();
    g_free(nfc);
  }
  vb_diag_free(d);
  vb_sources_free(sources);
  fclose(null);
  return 0;
}
