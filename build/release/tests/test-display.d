build/release/tests/test-display.o: tests/unit/test-display.c \
 tests/unit/../../src/display/display.h \
 tests/unit/../../src/display/../base/base.h tests/unit/harness.h
tests/unit/../../src/display/display.h:
tests/unit/../../src/display/../base/base.h:
tests/unit/harness.h:
