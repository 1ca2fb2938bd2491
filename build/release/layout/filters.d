build/release/layout/filters.o: src/layout/filters.c \
 src/layout/layout-private.h src/layout/../base/base.h \
 src/layout/../input/input.h src/layout/../input/../base/base.h \
 src/layout/layout.h src/layout/../display/display.h \
 src/layout/../display/../base/base.h src/layout/../records/records.h \
 src/layout/../records/../base/base.h \
 src/layout/../records/../input/input.h
src/layout/layout-private.h:
src/layout/../base/base.h:
src/layout/../input/input.h:
src/layout/../input/../base/base.h:
src/layout/layout.h:
src/layout/../display/display.h:
src/layout/../display/../base/base.h:
src/layout/../records/records.h:
src/layout/../records/../base/base.h:
src/layout/../records/../input/input.h:
