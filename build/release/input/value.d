build/release/input/value.o: src/input/value.c src/input/input.h \
 src/input/../base/base.h
src/input/input.h:
src/input/../base/base.h:
