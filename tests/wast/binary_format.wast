;; Binary modules that must fail to decode (malformed) or to validate
;; (invalid).  Text-format variants are skipped by the runner.

(module binary "\00asm" "\01\00\00\00")
(assert_malformed (module binary "") "unexpected end")
(assert_malformed (module binary "\00asm") "unexpected end")
(assert_malformed (module binary "\00asm" "\02\00\00\00") "unknown binary version")
(assert_malformed (module binary "\00ASM" "\01\00\00\00") "magic header not detected")
(assert_malformed
  (module binary "\00asm" "\01\00\00\00"
    "\0e\01\00")                              ;; section id 14 does not exist
  "malformed section id")
(assert_malformed
  (module binary "\00asm" "\01\00\00\00"
    "\01\05\01"                               ;; type section, 1 type
    "\60\00\00\00")                           ;; func type, then a stray byte
  "section size mismatch")
(assert_malformed
  (module binary "\00asm" "\01\00\00\00"
    "\05\0d\01"                               ;; memory section, 1 memory
    "\00\82\80\80\80\80\80\80\80\80\80\00")   ;; min in 11 bytes (a u64 LEB128 has 10 at most)
  "integer representation too long")
(assert_malformed
  (module binary "\00asm" "\01\00\00\00"
    "\01\03\01\60\00")                         ;; func type without results
  "unexpected end")
(assert_malformed
  (module binary "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00"                      ;; type: [] -> []
    "\03\02\01\00"                            ;; one function
    "\0a\05\01\03\00\ff\0b")                  ;; body: illegal opcode 0xff
  "illegal opcode")

(assert_invalid
  (module binary "\00asm" "\01\00\00\00"
    "\01\05\01\60\00\01\7f"                   ;; type: [] -> [i32]
    "\03\02\01\00"                            ;; one function
    "\0a\04\01\02\00\0b")                     ;; body: empty
  "type mismatch")
(assert_invalid
  (module binary "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00"                      ;; type: [] -> []
    "\03\02\01\00"                            ;; one function
    "\0a\06\01\04\00\20\00\0b")               ;; local.get 0, no locals
  "unknown local")
(assert_invalid
  (module binary "\00asm" "\01\00\00\00"
    "\03\02\01\00"                            ;; function of type 0, no types
    "\0a\04\01\02\00\0b")
  "unknown type")

;; Text-format cases: the runner cannot parse text, so these are skipped.
(assert_malformed (module quote "(func (i32.const 0x))") "unknown operator")
