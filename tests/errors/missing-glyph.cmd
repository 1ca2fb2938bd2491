certificates missing-glyph.yaml -o @OUT@/missing-glyph.pdf
