build/release/input/decode.o: src/input/decode.c src/input/input.h \
 src/input/../base/base.h
src/input/input.h:
src/input/../base/base.h:
