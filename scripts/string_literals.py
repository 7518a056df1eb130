#!/usr/bin/env python3
"""Counts the string literals with a word of letters in the Rust files under a folder, outside
comments, attributes and `#[cfg(test)]` modules: `scripts/string_literals.py src/dialogue`, and
with a second argument (`v`) lists them. Issue 32 measures the English left in the dialogue so."""
import re,sys,pathlib
def literals(src):
    # cut test module
    i = src.find('#[cfg(test)]')
    if i >= 0: src = src[:i]
    out=[]; j=0; n=len(src)
    while j<n:
        c=src[j]
        if src.startswith('//',j):
            j=src.find('\n',j); j = n if j<0 else j; continue
        if c=="'" :
            m=re.match(r"'(\\.|[^\\'])'",src[j:])
            if m: j+=m.end(); continue
            j+=1; continue
        if c=='"' or src.startswith('r#"',j) or src.startswith('r"',j):
            if c=='r':
                hashes = 1 if src.startswith('r#"',j) else 0
                end='"'+'#'*hashes; k=src.find(end,j+2+hashes); lit=src[j+2+hashes:k]; 
                line_start=src.rfind('\n',0,j)+1
                out.append((src[line_start:j].strip(),lit)); j=k+len(end); continue
            k=j+1
            while src[k]!='"':
                k+= 2 if src[k]=='\\' else 1
            line_start=src.rfind('\n',0,j)+1
            out.append((src[line_start:j].strip(),src[j+1:k])); j=k+1; continue
        j+=1
    return [l for pre,l in out if not pre.startswith('#[') and re.search(r'[A-Za-z]{2,}',l) ]
total=0
for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.rs')):
    ls=literals(p.read_text()); total+=len(ls); print(len(ls),p)
    if len(sys.argv)>2: [print('   ',repr(l)) for l in ls]
print(total,'total')
