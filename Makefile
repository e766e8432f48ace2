# muxi-chat: the common tasks. `make test` is what CI runs.
.PHONY: build test unit runtime-start runtime-stop clean

build:
	swift build

test:
	Tests/run-tests.sh

unit:
	swift test --skip IntegrationTests

runtime-start:
	Tests/Harness/runtime.sh start

runtime-stop:
	Tests/Harness/runtime.sh stop

clean:
	swift package clean
