;; Asks for the request body to be buffered, at start; prefixes it with "wasm saw: " and calls next.
(module
  (import "http_handler" "enable_features" (func $enable (param i32) (result i32)))
  (import "http_handler" "read_body" (func $read_body (param i32 i32 i32) (result i64)))
  (import "http_handler" "write_body" (func $write_body (param i32 i32 i32)))
  (memory (export "memory") 2)
  (data (i32.const 0) "wasm saw: ")
  (func (export "_initialize") (drop (call $enable (i32.const 1))))
  (func (export "handle_request") (result i64)
    (local $r i64) (local $len i32)
    ;; Read until EOF (the high 32 bits), each chunk after the previous one.
    (block $eof
      (loop $more
        (local.set $r (call $read_body (i32.const 0) (i32.add (i32.const 4096) (local.get $len)) (i32.const 1000)))
        (local.set $len (i32.add (local.get $len) (i32.wrap_i64 (local.get $r))))
        (br_if $eof (i64.ne (i64.shr_u (local.get $r) (i64.const 32)) (i64.const 0)))
        (br $more)))
    (call $write_body (i32.const 0) (i32.const 0) (i32.const 10))
    (call $write_body (i32.const 0) (i32.const 4096) (local.get $len))
    (i64.const 1)))
