build/release/backend/trace.o: src/backend/trace.c src/backend/backend.h \
 src/backend/../base/base.h src/backend/../display/display.h \
 src/backend/../display/../base/base.h
src/backend/backend.h:
src/backend/../base/base.h:
src/backend/../display/display.h:
src/backend/../display/../base/base.h:
