;; Iterative Fibonacci on i64, and a function that traps, for `tswasm run --invoke`.
(module
  (func $fib (export "fib") (param $n i32) (result i64)
    (local $a i64) (local $b i64) (local $t i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $t (i64.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $a))
  (func $divide (export "divide") (param $x i32) (param $y i32) (result i32)
    (i32.div_s (local.get $x) (local.get $y))))
