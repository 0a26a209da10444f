// Checks that every SyntheticText word is one token with its leading space, and that random text
// of them is one token per word, under GPT-2, cl100k, o200k, Llama 2 and Llama 3 tokenizers.
// Not part of the build. Run from an empty folder:
//   npm install gpt-tokenizer@4.0.0 llama-tokenizer-js@1.2.2 llama3-tokenizer-js@1.2.0
//   grep -o '"[a-z]\{3\}"' <repo>/src/main/java/io/llmload/workload/SyntheticText.java | tr -d '"' | tr '\n' ' ' > words.txt
//   node <repo>/docs/workloads-tokenizer-check.mjs
import fs from 'fs';
import { createRequire } from 'module';
const require = createRequire(import.meta.url);
const gpt2 = require('gpt-tokenizer/cjs/encoding/gpt2');
const cl100k = require('gpt-tokenizer/cjs/encoding/cl100k_base');
const o200k = require('gpt-tokenizer/cjs/encoding/o200k_base');
const llama2 = (await import('llama-tokenizer-js')).default;
const llama3 = (await import('llama3-tokenizer-js')).default;
const words = fs.readFileSync('words.txt', 'utf8').trim().split(' ');
const enc = {
  gpt2: s => gpt2.encode(s).length,
  cl100k: s => cl100k.encode(s).length,
  o200k: s => o200k.encode(s).length,
  llama2: s => llama2.encode(s, false, false).length,
  llama3: s => llama3.encode(s, { bos: false, eos: false }).length,
};
for (const [name, f] of Object.entries(enc)) {
  const bad = words.filter(w => f(' ' + w) !== 1);
  // a long random text: tokens per word
  let text = [];
  let seed = 1;
  for (let i = 0; i < 5000; i++) { seed = (seed * 1103515245 + 12345) % 2147483648; text.push(words[seed % words.length]); }
  const t = text.join(' ');
  console.log(name, 'words', words.length, 'not one token with leading space:', bad.join(','), '| 5000-word text:', f(t), 'tokens, chars/4 =', Math.ceil(t.length / 4));
}
