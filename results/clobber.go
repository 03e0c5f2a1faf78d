package results

import "path/filepath"

// Clobbers returns the first of inputs that writing a File named out would
// destroy, "" when none would be: an input that is out itself, or out's
// .partial (which Create replaces), by whatever name it was given (a
// symlink to it, a path through a symlinked directory). A hard link to out
// is not destroyed: the rename replaces out's name, not the other.
// Inputs that do not exist are skipped.
func Clobbers(out string, inputs ...string) string {
	dir, err := filepath.EvalSymlinks(filepath.Dir(out))
	if err != nil {
		return "" // no such directory: no input is in it
	}
	target, err := filepath.Abs(filepath.Join(dir, filepath.Base(out)))
	if err != nil {
		return ""
	}
	for _, in := range inputs {
		real, err := filepath.EvalSymlinks(in)
		if err != nil {
			continue
		}
		if real, err = filepath.Abs(real); err != nil {
			continue
		}
		if real == target || real == target+PartialSuffix {
			return in
		}
	}
	return ""
}
