#!/usr/bin/env python3
"""Writes the seed corpus of fuzz-block-json (tests/fuzz/corpus/
fuzz-block-json/): -blockdev and -netdev JSON texts as users write them,
and the malformed shapes each parser error covers."""
import os

SEEDS = {
    'raw-file': '{"driver":"raw","node-name":"r","file":{"driver":"file",'
                '"filename":"disk.img"}}',
    'file-cache': '{"driver":"file","node-name":"f","filename":"x",'
                  '"cache":{"direct":true,"no-flush":false}}',
    'raw-offset-size': '{"driver":"raw","file":"f","offset":512,'
                       '"size":1048576}',
    'host-device': '{"driver":"host_device","filename":"/dev/null",'
                   '"read-only":true}',
    'netdev-stream': '{"type":"stream","id":"n0","server":false,"addr":'
                     '{"type":"inet","host":"127.0.0.1","port":"5555"}}',
    'netdev-dgram': '{"type":"dgram","id":"n0","local":{"type":"unix",'
                    '"path":"/tmp/a"},"remote":{"type":"unix","path":"/b"}}',
    'netdev-user-hostfwd': '{"type":"user","id":"u","hostfwd":'
                           '[{"str":"tcp::10022-:22"}]}',
    'escapes': '{"driver":"file","filename":"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t"}',
    'unicode-escape': '{"filename":"\\u00e9\\u20ac\\ud83d\\ude00"}',
    'bad-surrogate': '{"filename":"\\ud83d"}',
    'numbers': '{"a":0,"b":-1,"c":1.5e10,"d":18446744073709551615}',
    'nested-deep': '{"a":' * 70 + '1' + '}' * 70,
    'nested-ok': '{"a":{"b":{"c":{"d":"e"}}}}',
    'whitespace': ' \t\n{ "driver" : "raw" , "file" : "f" } \r\n',
    'empty-object': '{}',
    'empty': '',
    'not-object': '["raw"]',
    'missing-colon': '{"driver" "raw"}',
    'missing-comma': '{"a":"b" "c":"d"}',
    'trailing-comma': '{"a":"b",}',
    'trailing-garbage': '{"a":"b"} x',
    'bad-keyword': '{"a":nul}',
    'null-value': '{"a":null}',
    'control-char': '{"a":"\x01"}',
    'unterminated': '{"a":"b',
    'bad-escape': '{"a":"\\x"}',
    'empty-key': '{"":"x","a":{"":"y"}}',
    'dotted-key': '{"a.b":"x","c":{"d.e":"y"}}',
    'duplicate-key': '{"a":"1","a":"2"}',
    'bool-values': '{"read-only":true,"auto-read-only":false}',
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, 'corpus', 'fuzz-block-json')
    os.makedirs(out, exist_ok=True)
    for name, text in SEEDS.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(text.encode('latin-1'))


if __name__ == '__main__':
    main()
