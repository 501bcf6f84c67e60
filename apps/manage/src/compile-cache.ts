// Caches V8's compiled code on disk (os.tmpdir()), so the next run loads its ~2,500 modules
// faster; where the directory is not writable, Node carries on without it.
import module from 'node:module';

module.enableCompileCache();
