build/release/input/csv.o: src/input/csv.c src/input/input.h \
 src/input/../base/base.h
src/input/input.h:
src/input/../base/base.h:
