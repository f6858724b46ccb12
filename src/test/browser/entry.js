// The Connect SDK for a browser test page: its class, without the module's singleton (which would frame Paragon's cloud).
import ConnectSDK from "@useparagon/connect/ConnectSDK";
window.ConnectSDK = ConnectSDK;
