# configuration registry fragment
