build/release/backend/backend.o: src/backend/backend.c \
 src/backend/backend.h src/backend/../base/base.h \
 src/backend/../display/display.h src/backend/../display/../base/base.h
src/backend/backend.h:
src/backend/../base/base.h:
src/backend/../display/display.h:
src/backend/../display/../base/base.h:
