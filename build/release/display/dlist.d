build/release/display/dlist.o: src/display/dlist.c src/display/display.h \
 src/display/../base/base.h
src/display/display.h:
src/display/../base/base.h:
