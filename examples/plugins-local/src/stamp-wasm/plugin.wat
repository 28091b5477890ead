;; A `runtime: wasm` plugin (http-wasm handler ABI), the WebAssembly twin of ../stamp: it sets the request
;; header X-Stamp to the value configured (`value`, default "from-wasm") and lets the request go on.
;; Build it with wabt (a development dependency of Switchyard): `npx wat2wasm plugin.wat -o plugin.wasm`.
(module
  (import "http_handler" "get_config" (func $get_config (param i32 i32) (result i32)))
  (import "http_handler" "set_header_value" (func $set_header (param i32 i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "x-stamp")
  (data (i32.const 16) "from-wasm")
  (data (i32.const 32) "\"value\":\"")
  ;; The header value: offset and length, found in the configuration once, at start.
  (global $value (mut i32) (i32.const 16))
  (global $value_len (mut i32) (i32.const 9))

  ;; Reads the JSON configuration into memory at 1024 and, when it holds "value":"…", points the header
  ;; value at it (a plain search: enough for this example's one string option, no escapes).
  (func $read_config
    (local $len i32) (local $i i32) (local $end i32)
    (local.set $len (call $get_config (i32.const 1024) (i32.const 60000)))
    (if (i32.gt_u (local.get $len) (i32.const 60000)) (then (return)))
    (block $done
      (loop $search
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 9)) (local.get $len)))
        (if (call $starts_with (i32.add (i32.const 1024) (local.get $i)))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 9)))
            (local.set $end (local.get $i))
            (block $closed
              (loop $scan
                (br_if $closed (i32.ge_u (local.get $end) (local.get $len)))
                (br_if $closed (i32.eq (i32.load8_u (i32.add (i32.const 1024) (local.get $end))) (i32.const 34)))
                (local.set $end (i32.add (local.get $end) (i32.const 1)))
                (br $scan)))
            (global.set $value (i32.add (i32.const 1024) (local.get $i)))
            (global.set $value_len (i32.sub (local.get $end) (local.get $i)))
            (return)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $search))))

  ;; Whether the 9 bytes at $p are `"value":"`.
  (func $starts_with (param $p i32) (result i32)
    (local $k i32)
    (block $no
      (loop $cmp
        (br_if $no (i32.ne (i32.load8_u (i32.add (local.get $p) (local.get $k)))
                           (i32.load8_u (i32.add (i32.const 32) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $cmp (i32.lt_u (local.get $k) (i32.const 9))))
      (return (i32.const 1)))
    (i32.const 0))

  (func (export "_initialize") (call $read_config))

  ;; ctx_next: the request context in the high 32 bits (unused here), 1 in the low bits: call next.
  (func (export "handle_request") (result i64)
    (call $set_header (i32.const 0) (i32.const 0) (i32.const 7) (global.get $value) (global.get $value_len))
    (i64.const 1)))

