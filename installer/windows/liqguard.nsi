; LiqGuard per-user Windows installer (NSIS 3, Modern UI 2).
;
; Installs the PyInstaller onedir into %LOCALAPPDATA%\Programs\LiqGuard without admin rights (no UAC
; prompt), adds a Start-menu shortcut and an entry in "Apps & features" (HKCU), and writes an
; uninstaller. Settings and API keys live elsewhere (the user's config dir and Windows Credential
; Manager) and are deliberately left in place by the uninstaller.
;
;   makensis /INPUTCHARSET UTF8 -DVERSION=0.1.0 installer\windows\liqguard.nsi
;
; Defines (all optional): VERSION (x.y.z), SRCDIR (the onedir, default ..\..\dist\liqguard),
; OUTFILE (default ..\..\dist\LiqGuard-<VERSION>-setup.exe). Relative paths are relative to this file.
; Sign dist\liqguard\*.exe before running makensis and the resulting setup .exe afterwards.

Unicode true
SetCompressor /SOLID lzma

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef SRCDIR
  !define SRCDIR "..\..\dist\liqguard"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\LiqGuard-${VERSION}-setup.exe"
!endif
!define APPNAME "LiqGuard"
!define APPID "org.liqguard.LiqGuard"
!define EXE "liqguard.exe"
!define ICON "..\..\resources\icons\liqguard.ico"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPID}"
!define SETTINGSKEY "Software\${APPNAME}"

!include "MUI2.nsh"
!include "FileFunc.nsh"

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APPNAME}"
InstallDirRegKey HKCU "${SETTINGSKEY}" "InstallDir"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APPNAME}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APPNAME} installer"
VIAddVersionKey "LegalCopyright" "MIT licence"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APPNAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  SetShellVarContext current
FunctionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "${APPNAME}" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; The onedir's contents change between versions: drop the old runtime before copying the new one,
  ; so no stale DLL or module from an earlier release is loaded.
  RMDir /r "$INSTDIR\_internal"
  File /r "${SRCDIR}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  WriteRegStr HKCU "${SETTINGSKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  ; Remove only what the installer put there: the user may have picked a folder that holds other files.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\liqguard.exe"
  Delete "$INSTDIR\liqguard-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "${SETTINGSKEY}"
SectionEnd
