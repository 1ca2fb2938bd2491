build/release/display/dump.o: src/display/dump.c src/display/display.h \
 src/display/../base/base.h
src/display/display.h:
src/display/../base/base.h:
