;; Calls next, then traps in handle_response (when the response head is about to be sent).
(module
  (memory (export "memory") 1)
  (func (export "handle_request") (result i64) (i64.const 1))
  (func (export "handle_response") (param i32 i32) (unreachable)))
