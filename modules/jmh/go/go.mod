module gopatterns.dev/jmh/go

go 1.19
